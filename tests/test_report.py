"""The batch report: figures from the committed partitions, an offline HTML page whose SVG plots render."""

import re
import shutil
import subprocess
import tempfile
from datetime import UTC, datetime

import pyarrow.dataset as ds
import pytest

from ingest.records import BatchContext
from ingest.report import batch_figures, length_bin, report_html, report_markdown, write_report
from tests.batches import write_mixed_batch
from tests.conftest import SAMPLES
from tests.test_batch import run_batch_without_prefect

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def stage_counts(results) -> dict:
    stages: dict = {}
    for result in results:
        for stage, counts in result.stages.items():
            for name, n in counts.items():
                stages.setdefault(stage, {}).setdefault(name, 0)
                stages[stage][name] += n
    return stages


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    raw = root / "raw"
    shutil.copytree(SAMPLES, raw / "samples")
    write_mixed_batch(raw / "mixed")
    batch = BatchContext(batch_id="report-1", ingested_at=datetime(2026, 11, 21, tzinfo=UTC))
    summary = run_batch_without_prefect(raw, root / "out", batch)
    figures = batch_figures(root / "out", "report-1", summary.stages)
    return figures, write_report(root / "out", figures)


def test_the_figures_are_the_batchs(report):
    figures, path = report
    assert path.parts[-3:] == ("reports", "batch_id=report-1", "report.html")
    assert figures.records == sum(figures.sites.values()) == sum(figures.lengths.values()) > 20
    assert figures.quarantine == {"empty": 1, "binary": 1}
    documents = ds.dataset(path.parents[2] / "documents", partitioning="hive").to_table().to_pylist()
    assert figures.duplicates == sum(d["duplicate_of"] is not None for d in documents) >= 2  # 002's S5 and S3 at least
    assert figures.truncated == sum(d["truncated"] for d in documents)
    assert 0 < figures.truncated < figures.records
    assert figures.repairs and all(n > 0 for n in figures.repairs.values())


def test_the_page_is_self_contained_and_the_markdown_says_the_same(report):
    figures, path = report
    page = path.read_text(encoding="utf-8")
    assert page.count("<svg") == 5
    assert not re.search(r"(src|href)=\"?https?:", page) and "<script" not in page
    markdown = report_markdown(figures)
    for site, n in figures.sites.items():
        assert f"| {site} | {n} |" in markdown and f">{n}</text>" in page
    assert report_html(figures) == page


def test_length_bins_cover_every_length():
    assert [length_bin(n) for n in (0, 199, 200, 19999, 10**6)] == ["0-199", "0-199", "200-499", "10000-19999",
                                                                     "20000+"]


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_the_plots_render_in_headless_chromium(report, tmp_path):
    """Chromium lays the page out; a probe added to a copy reads the drawn size of every bar."""
    figures, path = report
    probe = tmp_path / "probe.html"
    probe.write_text(path.read_text(encoding="utf-8").replace("</body>", (
        "<script>document.body.dataset.bars = Array.from(document.querySelectorAll('svg rect.bar'))"
        ".map(r => Math.round(r.getBoundingClientRect().width)).join(',');"
        "document.body.dataset.svgs = Array.from(document.querySelectorAll('svg'))"
        ".map(s => Math.round(s.getBoundingClientRect().height)).join(',');</script></body>")), encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                               "--disable-background-networking", "--disable-component-update", "--no-first-run",
                               f"--user-data-dir={profile}", "--dump-dom", probe.as_uri()],
                              capture_output=True, text=True, timeout=120, check=True)
    bars = [int(w) for w in re.search(r'data-bars="([\d,]*)"', done.stdout).group(1).split(",")]
    heights = [int(h) for h in re.search(r'data-svgs="([\d,]*)"', done.stdout).group(1).split(",")]
    drawn = sum(len(c) for c in (figures.sites, figures.languages, figures.lengths, figures.repairs,
                                 figures.quarantine))
    assert len(bars) == drawn and max(bars) >= 300  # the longest bar of each chart is drawn full width
    assert len(heights) == 5 and min(heights) > 40
