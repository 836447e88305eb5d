"""Documents we do not convert: PDF, Office (OOXML and the older OLE2 formats), other archives."""

from __future__ import annotations

import io
import zipfile

from cleaners.errors import Rejected

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OOXML_PARTS = {"word/": "a Word document (.docx)", "xl/": "an Excel workbook (.xlsx)",
               "ppt/": "a PowerPoint presentation (.pptx)"}


def document_kind(data: bytes) -> str | None:
    """What kind of unconverted document the bytes are, in words, or None.

    >>> document_kind(b"%PDF-1.7 ..."), document_kind(b"<html>")
    ('a PDF document', None)
    """
    if data.startswith(b"%PDF-"):
        return "a PDF document"
    if data.startswith(OLE2):
        return "an old Office document (.doc, .xls or .ppt)"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, ValueError):
            return "a damaged ZIP archive"
        for prefix, kind in OOXML_PARTS.items():
            if any(name.startswith(prefix) for name in names):
                return kind
        if "mimetype" in names:
            return "an OpenDocument or EPUB file"
        return f"a ZIP archive of {len(names)} file(s)"
    return None


def reject_document(kind: str) -> Rejected:
    return Rejected("container", f"the file is {kind}; converting it is out of scope: convert it to HTML or "
                                 "text first (or unpack the archive) and ingest that.")
