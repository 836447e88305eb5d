"""One pipeline run, as `corpus ingest` does it, with timestamps for the runner.

    python -m benchmarks.probe RAW_DIR OUT_DIR [--workers N]

Run by ``benchmarks.run`` in a fresh process, so that imports, the Prefect
server and the worker processes are all counted. Prints one JSON line.
"""

import time

PROCESS_STARTED = time.time()

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("raw_dir")
    parser.add_argument("out_dir")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--batch-id", default="bench")
    args = parser.parse_args(argv)

    marks = {"process_started": PROCESS_STARTED}
    from flows.ingest import ingest
    from flows.runners import chunk_runner
    from flows.server import configured_api_url, server_for_this_run

    marks["imported"] = time.time()
    runner = chunk_runner(args.workers)
    server_given = bool(configured_api_url())
    with server_for_this_run():  # as `corpus ingest`: a server for the run when no API is configured
        summary = ingest.with_options(task_runner=runner)(raw_dir=args.raw_dir, out_dir=args.out_dir,
                                                          batch_id=args.batch_id)
        marks["flow_returned"] = time.time()
    marks["ended"] = time.time()  # after the logs were sent and the run's server (if any) stopped
    print(json.dumps({
        "marks": marks, "server_given": server_given, "runner": summary.runner,
        "files": summary.files, "records": summary.records, "quarantined": summary.quarantined,
        "raw_bytes": summary.raw_bytes, "chunks": summary.chunks, "timings": summary.timings,
        "stages": summary.stages,
        "peak_rss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_rss_largest_child_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
