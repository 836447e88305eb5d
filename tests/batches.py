"""Raw batches built from real text for the batch and flow tests."""

from __future__ import annotations

from pathlib import Path

from tests.encoded import encoded_samples

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def write_mixed_batch(root: Path) -> dict[str, str]:
    """The issue's batch: GB18030, Big5, UTF-16 with BOM, UTF-8 with BOM, an empty and a binary file.

    Returns source_path → expected encoding (or quarantine reason).
    """
    samples = encoded_samples()
    files = {
        "gb/speech.txt": (samples["gb18030"][0], "gb18030"),
        "tw/speech.txt": (samples["big5"][0], "big5"),
        "speech-utf16.txt": (samples["utf-16-bom"][0], "utf-16"),
        "speech-utf8bom.txt": (samples["utf-8-bom"][0], "utf-8-sig"),
        "empty.txt": (b"", "empty"),
        "logo.png": (PNG, "binary"),
    }
    for name, (data, _) in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return {name: expected for name, (_, expected) in files.items()}


def write_paragraph_pages(root: Path, count: int, prefix: str = "page") -> list[str]:
    """``count`` distinct pages cut from the samples' paragraphs, in turn UTF-8, GB18030 and UTF-16.

    Returns their source paths. Real prose, distinct bytes: what a crawl drops into ``raw/`` overnight.
    """
    from tests.conftest import SAMPLES

    paragraphs = [line.strip() for path in sorted(SAMPLES.iterdir())
                  for line in path.read_text(encoding="utf-8").splitlines() if len(line.strip()) > 40]
    encodings = ("utf-8", "gb18030", "utf-16")
    names = []
    for i in range(count):
        lines = [paragraphs[(i * 7 + k) % len(paragraphs)] for k in range(6)]
        name = f"{prefix}-{i:03d}.txt"
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes("\n".join(lines).encode(encodings[i % len(encodings)], errors="replace"))
        names.append(name)
    return names
