"""Batch-level work between the cleaners and the flows: plan, process chunks, write Parquet.

``records`` is pure (cleaned pages to rows); ``batch`` lists and hashes raw
files; ``chunk`` cleans a chunk of files into staged Parquet; ``store`` stages
and commits partitions atomically. None of it imports Prefect: the flows call it.
"""

import os

# pyarrow's buffers from glibc's malloc rather than mimalloc, pyarrow's default pool on Linux, which keeps
# the pages it freed: after writing a chunk's parts a worker stayed ~25 MB larger (300 pages' documents
# written six times as parts: +33.8 MB resident with mimalloc, +9.4 MB with glibc; the pool's own peak 8.7 MB
# in both; peak 15 MB lower). pyarrow reads the setting once, when it is imported, and every module here
# that imports it comes after this package; the chunk workers, spawned, inherit it. A setting of the user's wins.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

