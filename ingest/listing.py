"""Listing a raw directory safely: every entry accounted for, only regular files inside it ever read.

The walk never follows a link out of the raw directory and never opens
anything that could block (a FIFO, a device, a socket): each entry is first
looked at with ``lstat``, and a file is opened with ``O_NONBLOCK`` and checked
again with ``fstat`` on the open descriptor, so a file swapped for a FIFO
between the two looks cannot hang the run.

What each kind of entry becomes (one ``RawFile`` per entry; ``reason`` set
when it is to be quarantined):

- a regular file: hashed, to be cleaned;
- a FIFO, character or block device, socket: ``not_a_file``, never opened;
- a symbolic link resolving inside the raw directory to a regular file: read
  under the link's own path (its bytes are usually an exact duplicate of the
  target's, and recorded so);
- a symbolic link to a directory inside the raw directory: ``not_a_file``,
  not followed (its files are listed under their own paths; following would
  list them twice, or loop);
- a symbolic link resolving outside the raw directory: ``outside_raw``, not
  followed (``/etc/passwd`` or ``/dev/zero`` never become pages);
- a dangling link, a link loop, a file or directory we may not read:
  ``unreadable``, with the error, and a log line;
- an empty directory: nothing (it holds no entry to account for).

A name that is not valid UTF-8 keeps its bytes in ``RawFile.path`` (Python's
surrogateescape) and is shown with ``\\xNN`` escapes in ``source_path``.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import stat
from pathlib import Path

from ingest.records import RawFile
from ingest.transient import is_transient

LOG = logging.getLogger("corpus.ingest")
HASH_BLOCK = 1024 * 1024
OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)

KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
         (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a directory"))


class NotRegular(OSError):
    """The path holds something other than a regular file (found on the open descriptor)."""


def shown_path(relative: str) -> str:
    """A relative path as records show it: valid UTF-8 as is, other bytes escaped as ``\\xNN``.

    >>> shown_path(b"gb/\\xb9\\xfa.txt".decode("utf-8", "surrogateescape"))
    'gb/\\\\xb9\\\\xfa.txt'
    """
    return relative.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def kind_of(mode: int) -> str:
    """What a file mode that is not a regular file is, in words."""
    return next((words for test, words in KINDS if test(mode)), f"not a regular file (mode {mode:o})")


def inside(path: str, root: str) -> bool:
    """Whether the resolved ``path`` is ``root`` or below it (both resolved)."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def open_regular(path: str) -> int:
    """A descriptor on the regular file at ``path``, opened without blocking and without following a link."""
    descriptor = os.open(path, OPEN_FLAGS)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(errno.EINVAL, f"{kind_of(mode)}, not a regular file")
        os.set_blocking(descriptor, True)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def read_regular(path: str, limit: int) -> bytes:
    """At most ``limit`` bytes of the regular file at ``path`` (safely opened, see :func:`open_regular`)."""
    with os.fdopen(open_regular(path), "rb") as handle:
        return handle.read(limit)


def hash_regular(path: str) -> tuple[int, str]:
    """Size and SHA-256 of the regular file at ``path``, streamed."""
    digest, size = hashlib.sha256(), 0
    with os.fdopen(open_regular(path), "rb") as handle:
        while block := handle.read(HASH_BLOCK):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


def rejected_entry(path: str, relative: str, reason: str, why: str) -> RawFile:
    LOG.warning("raw entry %s: %s (%s)", shown_path(relative), why, reason)
    return RawFile(path, shown_path(relative), 0, "", error=why, reason=reason)


def unreadable_reason(error: OSError) -> str:
    """``error`` for a transient I/O error (the next run retries), ``unreadable`` for a permanent one."""
    return "error" if is_transient(error) else "unreadable"


def describe_regular(path: str, relative: str) -> RawFile:
    try:
        size, sha = hash_regular(path)
    except NotRegular as error:
        return rejected_entry(path, relative, "not_a_file", f"the entry is {error.strerror}; it is not read")
    except OSError as error:
        why = ("the entry changed into a symbolic link while it was listed" if error.errno == errno.ELOOP
               else f"the file cannot be read ({type(error).__name__}: {error})")
        return rejected_entry(path, relative, unreadable_reason(error), why)
    return RawFile(path, shown_path(relative), size, sha)


def describe_link(path: str, relative: str, root: str) -> RawFile:
    """A symbolic link: followed only to a regular file inside ``root``."""
    try:
        target = shown_path(os.readlink(path))
        resolved = os.path.realpath(path, strict=True)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return rejected_entry(path, relative, "unreadable", "the entry is a symbolic link loop")
        if isinstance(error, FileNotFoundError):
            return rejected_entry(path, relative, "unreadable",
                                  "the entry is a dangling symbolic link, or vanished while it was listed")
        return rejected_entry(path, relative, unreadable_reason(error),
                              f"the symbolic link cannot be resolved ({type(error).__name__}: {error})")
    if not inside(resolved, root):
        return rejected_entry(path, relative, "outside_raw",
                              f"the entry is a symbolic link to {target!r} ({shown_path(resolved)!r}), outside the raw "
                              "directory; it is not followed (copy the file into the raw directory to ingest it)")
    try:
        mode = os.stat(resolved, follow_symlinks=False).st_mode
    except OSError as error:
        return rejected_entry(path, relative, unreadable_reason(error),
                              f"the link's target cannot be read ({type(error).__name__}: {error})")
    if stat.S_ISDIR(mode):
        return rejected_entry(path, relative, "not_a_file",
                              f"the entry is a symbolic link to the directory {shown_path(resolved)!r} inside the "
                              "raw directory; it is not followed: its files are listed under their own paths")
    if not stat.S_ISREG(mode):
        return rejected_entry(path, relative, "not_a_file",
                              f"the entry is a symbolic link to {kind_of(mode)}; it is not read")
    return describe_regular(resolved, relative)


def describe_entry(path: str, relative: str, mode: int, root: str) -> RawFile:
    """One non-directory entry of the raw directory (``mode`` from ``lstat``)."""
    if stat.S_ISLNK(mode):
        return describe_link(path, relative, root)
    if stat.S_ISREG(mode):
        return describe_regular(path, relative)
    return rejected_entry(path, relative, "not_a_file", f"the entry is {kind_of(mode)}; it is not read")


def walk_raw(raw_dir: str | os.PathLike) -> list[RawFile]:
    """Every entry under ``raw_dir`` but directories (and unreadable directories), sorted by ``source_path``."""
    root = os.path.realpath(raw_dir)
    if not os.path.isdir(root):
        raise NotADirectoryError(f"raw directory {raw_dir} does not exist or is not a directory")
    files: list[RawFile] = []
    pending = [""]
    while pending:
        relative_dir = pending.pop()
        directory = os.path.join(root, relative_dir) if relative_dir else root
        try:
            with os.scandir(directory) as listing:
                entries = [(entry.name, entry.path) for entry in listing]
        except OSError as error:
            if not relative_dir:
                raise
            files.append(rejected_entry(directory, relative_dir + "/", unreadable_reason(error),
                                        f"the directory cannot be listed ({type(error).__name__}: {error}); "
                                        "its files are not read"))
            continue
        for name, path in entries:
            relative = f"{relative_dir}/{name}" if relative_dir else name
            try:
                mode = os.lstat(path).st_mode
            except OSError as error:
                files.append(rejected_entry(path, relative, unreadable_reason(error),
                                            f"the entry vanished or cannot be looked at ({type(error).__name__}: {error})"))
                continue
            if stat.S_ISDIR(mode):
                pending.append(relative)
            else:
                files.append(describe_entry(path, relative, mode, root))
    return sorted(files, key=lambda f: f.source_path)


def list_raw_files(raw_dir: str | os.PathLike) -> list[RawFile]:
    """Every entry under ``raw_dir`` as a :class:`RawFile`, sorted by relative path (see the module)."""
    return walk_raw(Path(raw_dir))


def describe_file(path: str | os.PathLike, source_path: str) -> RawFile:
    """One file named on its own (benchmarks, ``corpus inspect``): hashed if it is a regular file."""
    return describe_regular(os.path.realpath(path), source_path)
