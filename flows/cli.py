"""The ``corpus`` command."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.run(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="corpus", description="Clean scraped Chinese pages into Parquet.")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="ingest every file under RAW_DIR as one batch")
    ingest.add_argument("raw_dir", metavar="RAW_DIR")
    ingest.add_argument("--out", default="curated", help="output directory (default: curated/)")
    ingest.add_argument("--batch-id", default=None, help="batch id (default: <dir name>-<date>)")
    ingest.set_defaults(run=run_ingest)

    inspect = commands.add_parser("inspect", help="clean one raw file and show what each stage did; writes nothing")
    inspect.add_argument("file", metavar="FILE")
    inspect.add_argument("--full", action="store_true", help="print whole texts, not their first lines")
    inspect.set_defaults(run=run_inspect)
    return parser


def run_ingest(args: argparse.Namespace) -> int:
    from ingest.batch import check_batch_id

    raw_dir = Path(args.raw_dir)
    if not raw_dir.is_dir():
        print(f"corpus ingest: {raw_dir} is not a directory", file=sys.stderr)
        return 2
    if args.batch_id is not None:
        try:
            check_batch_id(args.batch_id)
        except ValueError as error:
            print(f"corpus ingest: {error}", file=sys.stderr)
            return 2
    print(f"Ingesting {raw_dir} into {args.out} (starting Prefect; the first run takes a few seconds)…",
          file=sys.stderr, flush=True)
    started = time.perf_counter()
    from flows.ingest import ingest  # Prefect is imported only for commands that run a flow

    try:
        summary = ingest(raw_dir=str(raw_dir), out_dir=str(args.out), batch_id=args.batch_id)
    except Exception as error:  # the run itself failed: say so, exit non-zero
        print(f"corpus ingest: the run failed: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    print(f"files read: {summary.files}, records written: {summary.records}, "
          f"quarantined: {summary.quarantined}, duplicates: {summary.duplicates}, seconds: {seconds:.1f}")
    if summary.quarantine_reasons:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(summary.quarantine_reasons.items()))
        print(f"quarantine reasons: {reasons} (see {args.out}/quarantine)")
    return 0


def run_inspect(args: argparse.Namespace) -> int:
    from cleaners.errors import Rejected
    from cleaners.pipeline import clean_bytes

    path = Path(args.file)
    try:
        cleaned = clean_bytes(path.read_bytes())
    except OSError as error:
        print(f"corpus inspect: cannot read {path}: {error}", file=sys.stderr)
        return 2
    except Rejected as rejection:
        print(f"{path}: would be quarantined ({rejection.reason}): {rejection.detail}")
        return 0
    for line in describe(cleaned, full=args.full):
        print(line)
    return 0


def describe(cleaned, full: bool = False) -> list[str]:
    """What `corpus inspect` prints: what each stage removed or changed, the page's metadata, each record."""
    from cleaners.layout import count_text_chars

    page = cleaned.page
    meta = page.meta
    lines = [f"format: {page.source_format}; encoding: {cleaned.decoded.encoding} "
             f"(confidence {cleaned.decoded.confidence:.2f})", "", "stages (what each removed or changed):"]
    for report in cleaned.reports:
        counts = ", ".join(f"{k} {v}" for k, v in report.counts.items()) or "no change"
        lines.append(f"  {report.stage}: {counts}")
        lines.extend(f"      e.g. {_one_line(example)}" for example in report.examples)
    lines += ["", f"page: title={meta.title!r} site={meta.site!r} url={meta.source_url!r}",
              f"      published_at={meta.published_at} author={meta.author!r} truncated={meta.truncated} "
              f"declared/shown/omitted={meta.declared_chars}/{meta.shown_chars}/{meta.omitted_chars}"]
    if meta.outline:
        lines.append(f"outline ({len(meta.outline)}): " + " | ".join(meta.outline))
    count = len(page.articles)
    lines.append(f"records: {count}")
    for index, article in enumerate(page.articles):
        repairs = ", ".join(f"{k} {v}" for k, v in article.repairs.items() if k != "redactions") or "none"
        lines += ["", f"record {index + 1}/{count} (part_index {index}): title={article.title or meta.title!r}",
                  f"  chars {count_text_chars(article.text)}, script {article.original_script}, "
                  f"redactions {article.repairs.get('redactions', 0)}; repairs: {repairs}"]
        paragraphs = article.text.split("\n")
        shown = paragraphs if full else paragraphs[:3]
        lines.extend(f"  | {p if full else p[:120]}" for p in shown)
        if len(shown) < len(paragraphs):
            lines.append(f"  | … {len(paragraphs) - len(shown)} more paragraphs")
    return lines


def _one_line(text: str) -> str:
    return text.replace("\n", " ⏎ ")


if __name__ == "__main__":
    sys.exit(main())
