"""Prose that recurs across a batch is prose, not page furniture (issue 12, item 2).

Sites copy each other: the same paragraph, even the same whole article, turns
up on pages of several sites, and a site reposts its own articles under new
addresses. Whatever a batch learns from repetition, every paragraph of the
prose stays in its page's record (a repeated article is a duplicate to mark,
not text to strip). The pages are dressed as plain sites around real prose of
the Debian FAQ (tests/data/prose).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow.dataset as ds

from ingest.run import run_batch, serial_chunks
from tests.roundtrip import prose_documents
from tests.test_generic_chrome import norm

SITES = {
    "alpha": (["晨光资讯网", "首页 > 科技频道 > 正文"], ["版权所有 晨光资讯网", "联系我们 | 网站地图"]),
    "beta": (["远山学习网 欢迎您", "您所在的位置：学习园地"], ["本站部分内容来自网络", "Copyright 远山学习网"]),
    "gamma": (["清溪论坛", "论坛首页 » 技术交流"], ["返回列表 | 发新帖", "清溪论坛 版权所有"]),
}


def paragraphs() -> list[str]:
    lines = [line.strip() for doc in prose_documents() for line in doc.split("\n")]
    return [line for line in lines if len(line) >= 60 and line.endswith("。") and "http" not in line][:60]


def page(site: str, title: str, prose: list[str]) -> str:
    head, tail = SITES[site]
    return "\n".join([*head, title, *prose, *tail]) + "\n"


def write_batch(raw: Path) -> dict[str, list[str]]:
    """Pages of three sites: one paragraph on every page, articles copied across sites and reposted on one."""
    para = paragraphs()
    shared = para[0]
    pages: dict[str, list[str]] = {}
    for s, site in enumerate(SITES):
        for i in range(4):
            own = para[1 + 4 * (4 * s + i): 4 + 4 * (4 * s + i)]
            pages[f"{site}/page{i}.txt"] = [own[0], shared, *own[1:]]
    pages["beta/copy-of-alpha0.txt"] = pages["alpha/page0.txt"]  # syndicated whole article
    pages["alpha/repost0.txt"] = pages["alpha/page0.txt"]  # the same site, a new address
    pages["gamma/quotes-alpha1.txt"] = [pages["alpha/page1.txt"][0], *pages["gamma/page0.txt"][2:]]
    for path, prose in pages.items():
        file = raw / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(page(path.split("/")[0], f"第{len(path)}篇 关于软件的说明", prose), encoding="utf-8")
    return pages


def test_every_paragraph_shared_across_pages_and_sites_is_kept(tmp_path):
    pages = write_batch(tmp_path / "raw")
    run_batch(tmp_path / "raw", tmp_path / "out", "shared-prose", False, serial_chunks,
              ingested_at=datetime(2026, 12, 6, tzinfo=UTC))
    rows = ds.dataset(tmp_path / "out" / "documents", format="parquet", partitioning="hive").to_table().to_pylist()
    text_of: dict[str, str] = {}
    for row in rows:
        text_of[row["source_path"]] = text_of.get(row["source_path"], "") + norm(row["text"])
    lost = {path: [p[:20] for p in prose if norm(p) not in text_of.get(path, "")] for path, prose in pages.items()}
    assert {path: paras for path, paras in lost.items() if paras} == {}
