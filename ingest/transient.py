"""Which I/O errors are worth retrying: the network file system that hiccups, not the file that is gone."""

from __future__ import annotations

import errno

# errno values that say "try again later" rather than "this file is gone or forbidden".
TRANSIENT_ERRNOS = frozenset(
    getattr(errno, name) for name in
    ("EIO", "EAGAIN", "EBUSY", "ETIMEDOUT", "ESTALE", "ENOLCK", "ECONNRESET", "ECONNABORTED",
     "ENETDOWN", "ENETUNREACH", "EHOSTUNREACH", "ENOBUFS", "ENOMEM", "EREMOTEIO")
    if hasattr(errno, name)
)


def is_transient(error: BaseException) -> bool:
    """An I/O error worth retrying: a transient errno, or an interrupted/timed-out call.

    >>> is_transient(OSError(errno.EIO, "Input/output error")), is_transient(FileNotFoundError(2, "gone"))
    (True, False)
    """
    if isinstance(error, (TimeoutError, ConnectionError, InterruptedError)):
        return True
    return isinstance(error, OSError) and error.errno in TRANSIENT_ERRNOS
