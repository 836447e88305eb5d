"""gzip, bzip2, xz and zstd, decompressed with a bound: a bomb stops at the limit, never fills memory."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zlib

import zstandard

from cleaners.errors import Rejected

MAGICS: dict[str, bytes] = {
    "gzip": b"\x1f\x8b",
    "bzip2": b"BZh",
    "xz": b"\xfd7zXZ\x00",
    "zstd": b"\x28\xb5\x2f\xfd",
}

BLOCK = 1 << 16


def compression_of(data: bytes) -> str | None:
    """The compression the bytes start with, by magic number.

    >>> compression_of(b"\\x1f\\x8b\\x08rest"), compression_of(b"<html>")
    ('gzip', None)
    """
    for name, magic in MAGICS.items():
        if data.startswith(magic):
            return name
    return None


def _reader(kind: str, data: bytes):
    """A file object over the decompressed content (all members or frames)."""
    return decompressing(kind, io.BytesIO(data))


def decompressing(kind: str, source):
    """A file object that decompresses ``source`` (an open binary file) as it is read."""
    if kind == "gzip":
        return gzip.GzipFile(fileobj=source)
    if kind == "bzip2":
        return bz2.BZ2File(source)
    if kind == "xz":
        return lzma.LZMAFile(source)
    # Buffered: zstandard's reader has no readline, which streamed JSON lines need.
    return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(source, read_across_frames=True), BLOCK)


def decompress_bounded(data: bytes, kind: str, limit: int) -> bytes:
    """Decompress ``data`` (every member of a multi-member file), reading at most ``limit + 1`` bytes.

    Raises ``Rejected('too_large')`` when the content is larger than ``limit``
    (a decompression bomb stops there), ``Rejected('container')`` when the
    stream is damaged or cut short.
    """
    out = bytearray()
    try:
        with _reader(kind, data) as reader:
            while len(out) <= limit:
                block = reader.read(min(BLOCK, limit + 1 - len(out)))
                if not block:
                    break
                out += block
    except (OSError, EOFError, ValueError, lzma.LZMAError, zlib.error, zstandard.ZstdError) as error:
        raise Rejected("container", f"the file is {kind}-compressed but its stream is damaged ({error}); "
                                    "fetch it again.") from error
    if len(out) > limit:
        raise Rejected("too_large", f"the file is {kind}-compressed and holds more than {limit:,} bytes once "
                                    "decompressed (a decompression bomb, or a page too large); split it or "
                                    "raise the limit (--max-file-size).")
    return bytes(out)
