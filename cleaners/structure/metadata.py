"""What rules capture from a page, folded into its :class:`~cleaners.model.Metadata`.

The first value a page gives for a field wins (the head of a page comes first),
except the omitted lengths, which add up (a page may omit several passages).
An ``editor`` (小编, 责任编辑) stands in for the ``author`` when the page names
no author; a captured author or editor that is no name (``佚名``, a URL, the
site) is no capture.
"""

from __future__ import annotations

from dataclasses import replace

from cleaners.model import Metadata
from cleaners.structure.dates import parse_published
from cleaners.structure.names import author_name


def with_captures(meta: Metadata, captures: list[tuple[str, str]]) -> Metadata:
    """``meta`` with the captured values filled in where it has none.

    >>> m = with_captures(Metadata(), [("editor", "zdfb"), ("omitted", "762"), ("omitted", "100"),
    ...                                ("published_at", "2023-11-12 03:53:59")])
    >>> m.author, m.omitted_chars, m.published_at.isoformat()
    ('zdfb', 862, '2023-11-12T03:53:59+08:00')
    """
    changes: dict = {}
    omitted = 0
    editor = None
    for name, value in captures:
        if name in ("author", "editor"):
            name_or_none = author_name(value, meta.site)  # a name, never 佚名, a URL or the site
            if name_or_none is None:
                continue
            value = name_or_none
        if name == "omitted":
            omitted += int(value)
        elif name == "editor":
            editor = editor or value
        elif name == "published_at":
            moment = parse_published(value)
            if moment is not None and meta.published_at is None:
                changes.setdefault("published_at", moment)
        elif name in ("declared", "shown", "remaining"):
            field = f"{name}_chars"
            if getattr(meta, field) is None:
                changes.setdefault(field, int(value))
        else:
            field = "source_url" if name == "url" else name
            if getattr(meta, field) is None:
                changes.setdefault(field, value)
    if omitted:
        changes["omitted_chars"] = (meta.omitted_chars or 0) + omitted
    if editor and meta.author is None and "author" not in changes:
        changes["author"] = editor
    return with_lengths_derived(replace(meta, **changes)) if changes else meta


def with_lengths_derived(meta: Metadata) -> Metadata:
    """Total = shown + remaining: the one of the three a page does not state, from the two it does.

    >>> with_lengths_derived(Metadata(declared_chars=5000, remaining_chars=3000)).shown_chars
    2000
    >>> with_lengths_derived(Metadata(shown_chars=800, remaining_chars=1200)).declared_chars
    2000
    >>> with_lengths_derived(Metadata(declared_chars=900, shown_chars=1000)).remaining_chars is None
    True
    """
    total, shown, rest = meta.declared_chars, meta.shown_chars, meta.remaining_chars
    if total is None and shown is not None and rest is not None:
        return replace(meta, declared_chars=shown + rest)
    if shown is None and total is not None and rest is not None and total >= rest:
        return replace(meta, shown_chars=total - rest)
    if rest is None and total is not None and shown is not None and total >= shown:
        return replace(meta, remaining_chars=total - shown)
    return meta
