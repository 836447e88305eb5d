"""The report of a committed batch: a self-contained HTML page with inline SVG plots, and the same as markdown.

Written to ``OUT/reports/batch_id=ID/report.html`` after the batch commits
(``write_report``) and published as the Prefect markdown artifact
``batch-report``. Read from the batch's committed partitions: records per site
and language, the length distribution, the share truncated, repairs per
stage, quarantine reasons, duplicates. No script, no stylesheet or font from
the network: the page opens offline.
"""

from __future__ import annotations

import html
import math
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.compute as pc

from ingest.summary import read_partition

REPORTS = "reports"
LENGTH_BINS = (0, 200, 500, 1000, 2000, 5000, 10000, 20000)


@dataclass(frozen=True)
class BatchFigures:
    batch_id: str
    records: int
    sites: dict[str, int]
    languages: dict[str, int]
    lengths: dict[str, int]  # bin label → records
    truncated: int
    duplicates: int
    repairs: dict[str, int]  # stage → changes
    quarantine: dict[str, int] = field(default_factory=dict)


def length_bin(chars: int) -> str:
    """The label of the length bin ``chars`` falls in.

    >>> length_bin(0), length_bin(999), length_bin(25000)
    ('0-199', '500-999', '20000+')
    """
    for low, high in zip(LENGTH_BINS, LENGTH_BINS[1:], strict=False):
        if chars < high:
            return f"{low}-{high - 1}"
    return f"{LENGTH_BINS[-1]}+"


def batch_figures(out_dir: str | os.PathLike, batch_id: str, stages: dict[str, dict[str, int]] | None = None,
                  ) -> BatchFigures:
    """The figures of a committed batch, from its partitions (and the stage reports of its run)."""
    out = str(out_dir)
    columns = ["site", "char_count", "truncated", "duplicate_of"]
    docs = read_partition(out, "documents", batch_id, columns)
    language = read_partition(out, "documents", batch_id, ["language"]) if has_column(out, batch_id, "language") \
        else None
    quarantine = read_partition(out, "quarantine", batch_id, ["reason"])
    lengths = Counter(length_bin(n) for n in docs.column("char_count").to_pylist()) if docs.num_rows else Counter()
    return BatchFigures(
        batch_id=batch_id,
        records=docs.num_rows,
        sites=dict(Counter(s or "(unknown)" for s in docs.column("site").to_pylist()).most_common()),
        languages=dict(Counter(language.column("language").to_pylist()).most_common()) if language is not None
        else ({"(not detected)": docs.num_rows} if docs.num_rows else {}),
        lengths={label: lengths[label] for label in all_bins()},
        truncated=int(pc.sum(docs.column("truncated")).as_py() or 0) if docs.num_rows else 0,
        duplicates=int(pc.sum(pc.is_valid(docs.column("duplicate_of"))).as_py() or 0) if docs.num_rows else 0,
        repairs={stage: sum(counts.values()) for stage, counts in (stages or {}).items() if counts},
        quarantine=dict(Counter(quarantine.column("reason").to_pylist()).most_common()),
    )


def has_column(out: str, batch_id: str, name: str) -> bool:
    import pyarrow.parquet as pq

    parts = sorted((Path(out) / "documents" / f"batch_id={batch_id}").glob("*.parquet"))
    return bool(parts) and name in pq.read_schema(parts[0]).names


def all_bins() -> list[str]:
    return [length_bin(low) for low in LENGTH_BINS]


def bar_chart(title: str, counts: dict[str, int], unit: str = "records") -> str:
    """A horizontal bar chart as inline SVG; one bar per key, in order."""
    if not counts:
        return f'<p class="empty">{html.escape(title)}: none.</p>'
    row, label_width, bar_width = 22, 170, 360
    top = max(counts.values()) or 1
    height = row * len(counts) + 30
    bars = []
    for i, (key, value) in enumerate(counts.items()):
        y = 24 + i * row
        width = 0 if value == 0 else max(2, round(bar_width * value / top))
        bars.append(
            f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{html.escape(str(key))}</text>'
            f'<rect class="bar" x="{label_width}" y="{y + 2}" width="{width}" height="{row - 6}" fill="#3b6ea8">'
            f'<title>{html.escape(str(key))}: {value} {unit}</title></rect>'
            f'<text x="{label_width + width + 5}" y="{y + 14}">{value}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{html.escape(title)}" '
            f'width="{label_width + bar_width + 60}" height="{height}" font-family="Noto Sans CJK SC, WenQuanYi Zen Hei, sans-serif" font-size="12">'
            f'<text x="0" y="14" font-weight="bold">{html.escape(title)}</text>{"".join(bars)}</svg>')


def share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "n/a"


def report_html(figures: BatchFigures) -> str:
    f = figures
    charts = [
        bar_chart("Records per site", f.sites),
        bar_chart("Records per language", f.languages),
        bar_chart("Length of records (characters)", f.lengths),
        bar_chart("Repairs per stage", f.repairs, "changes"),
        bar_chart("Quarantine reasons", f.quarantine, "files"),
    ]
    title = html.escape(f"Batch {f.batch_id}")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:Noto Sans CJK SC,WenQuanYi Zen Hei,sans-serif;margin:2em;max-width:60em}} table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.2em .6em;text-align:left}} figure{{margin:1.5em 0}}</style></head>
<body><h1>{title}</h1>
<table>
<tr><th>records</th><td>{f.records}</td></tr>
<tr><th>truncated</th><td>{f.truncated} ({share(f.truncated, f.records)})</td></tr>
<tr><th>duplicates (marked, kept)</th><td>{f.duplicates} ({share(f.duplicates, f.records)})</td></tr>
<tr><th>quarantined files</th><td>{sum(f.quarantine.values())}</td></tr>
</table>
{"".join(f"<figure>{chart}</figure>" for chart in charts)}
</body></html>
"""


def report_markdown(figures: BatchFigures) -> str:
    f = figures
    lines = [f"# Report of batch `{f.batch_id}`", "",
             f"{f.records} records; truncated {f.truncated} ({share(f.truncated, f.records)}); "
             f"duplicates {f.duplicates} ({share(f.duplicates, f.records)}); "
             f"quarantined files {sum(f.quarantine.values())}."]
    for title, counts in (("Records per site", f.sites), ("Records per language", f.languages),
                          ("Length of records (characters)", f.lengths), ("Repairs per stage", f.repairs),
                          ("Quarantine reasons", f.quarantine)):
        lines += ["", f"## {title}", ""]
        if not counts:
            lines.append("none")
            continue
        top = max(counts.values()) or 1
        lines += ["| | count | |", "|---|---|---|"]
        lines += [f"| {key} | {value} | {'█' * math.ceil(20 * value / top) if value else ''} |"
                  for key, value in counts.items()]
    return "\n".join(lines) + "\n"


def report_path(out_dir: str | os.PathLike, batch_id: str) -> Path:
    return Path(out_dir) / REPORTS / f"batch_id={batch_id}" / "report.html"


def write_report(out_dir: str | os.PathLike, figures: BatchFigures) -> Path:
    """Write the batch's HTML report beside the datasets and rename it into place."""
    path = report_path(out_dir, figures.batch_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(report_html(figures), encoding="utf-8")
    os.replace(tmp, path)
    return path
