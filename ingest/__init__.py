"""Batch-level work between the cleaners and the flows: plan, process chunks, write Parquet.

``records`` is pure (cleaned pages to rows); ``batch`` lists and hashes raw
files; ``chunk`` cleans a chunk of files into staged Parquet; ``store`` stages
and commits partitions atomically. None of it imports Prefect: the flows call it.
"""
