"""The ``corpus`` command."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path

# Exit codes of a run stopped by a signal, as a shell reports a process killed by it: 128 + its number.
EXIT_SIGINT = 128 + signal.SIGINT  # 130
EXIT_SIGTERM = 128 + signal.SIGTERM  # 143


class Terminated(BaseException):
    """SIGTERM arrived outside a flow run (inside one, Prefect raises its ``TerminationSignal``)."""


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "serve":
        return args.run(args)  # serves until stopped; its own handling (flows/serve.py)
    previous = signal.signal(signal.SIGTERM, raise_terminated) if is_main_thread() else None
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print(f"corpus {args.command}: interrupted (Ctrl-C)", file=sys.stderr)
        return EXIT_SIGINT
    except BaseException as error:
        if isinstance(error, Terminated) or type(error).__name__ == "TerminationSignal":
            print(f"corpus {args.command}: terminated (SIGTERM)", file=sys.stderr)
            return EXIT_SIGTERM
        raise
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def raise_terminated(signum, frame) -> None:
    raise Terminated()


def is_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


class PrintVersion(argparse.Action):
    """``--version``: the pipeline's version, looked up only when asked (it imports the cleaners, ~0.4 s, which
    would otherwise delay the launch of a run's server)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from ingest.records import pipeline_version

        print(f"{parser.prog} {pipeline_version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="corpus", description="Clean scraped Chinese pages into Parquet.")
    parser.add_argument("--version", action=PrintVersion, help="show the version and exit")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="ingest every file under RAW_DIR as one batch")
    ingest.add_argument("raw_dir", metavar="RAW_DIR")
    ingest.add_argument("--out", default="curated", help="output directory (default: curated/)")
    ingest.add_argument("--batch-id", default=None,
                        help="batch id (default: unique, <dir name>-<YYYYMMDD-HHMMSS>-<6 hex digits>)")
    ingest.add_argument("--replace", action="store_true",
                        help="replace the committed batch that --batch-id names (without it, such an id is refused)")
    add_language_option(ingest)
    add_worker_options(ingest)
    add_limit_options(ingest)
    add_output_options(ingest)
    ingest.set_defaults(run=run_ingest)

    nightly = commands.add_parser("nightly", help="ingest, as one new batch, every file under the raw root "
                                                  "whose content no earlier batch holds")
    nightly.add_argument("--raw-root", default="raw", help="raw root (default: raw/)")
    nightly.add_argument("--out", default="curated", help="output directory (default: curated/)")
    add_language_option(nightly)
    add_worker_options(nightly)
    add_limit_options(nightly)
    add_output_options(nightly)
    nightly.set_defaults(run=run_nightly)

    serve = commands.add_parser("serve", help="serve the 'nightly' (cron) and 'manual' deployments of the ingest flow")
    serve.add_argument("--raw-root", default="raw", help="what the nightly runs ingest (default: raw/)")
    serve.add_argument("--out", default="curated", help="where both deployments write (default: curated/)")
    serve.add_argument("--at", default="02:00", metavar="HH:MM", help="time of the nightly run (default: 02:00)")
    serve.add_argument("--timezone", default="Asia/Shanghai", help="time zone of --at (default: Asia/Shanghai)")
    serve.add_argument("--cron", default=None, help="a full cron expression for the nightly run, instead of --at")
    serve.add_argument("--prefect-home", default=".prefect",
                       help="state of the local Prefect server started when PREFECT_API_URL is not set "
                            "(default: .prefect/)")
    serve.add_argument("--port", type=int, default=None,
                       help="port of that local server on 127.0.0.1 (default: 4200 if free, else any free port)")
    add_language_option(serve)
    add_worker_options(serve)
    serve.set_defaults(run=run_serve)

    inspect = commands.add_parser("inspect", help="clean one raw file and show what each stage did; writes nothing")
    inspect.add_argument("file", metavar="FILE")
    inspect.add_argument("--full", action="store_true", help="print whole texts, not their first lines")
    inspect.set_defaults(run=run_inspect)
    return parser


def add_language_option(parser: argparse.ArgumentParser) -> None:
    from cleaners.errors import NOT_CHINESE_CHOICES

    parser.add_argument("--not-chinese", choices=NOT_CHINESE_CHOICES, default="keep",
                        help="pages in another language: keep them as they are, untouched by the Chinese stages "
                             "(default), or quarantine them with reason not_chinese")


def add_worker_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=positive_int, default=None, metavar="N",
                       help="clean chunks in N processes (default: one per core; 1: serially, in-process)")
    where.add_argument("--dask-address", default=None, metavar="ADDRESS",
                       help="clean chunks on the Dask cluster whose scheduler is at ADDRESS "
                            "(needs the 'dask' extra)")


def add_limit_options(parser: argparse.ArgumentParser) -> None:
    from cleaners.model import CleanConfig

    parser.add_argument("--max-file-size", type=byte_size, default=CleanConfig.max_bytes, metavar="SIZE",
                        help="larger files (and compressed files that inflate beyond it) are quarantined as "
                             "too_large, unread (e.g. 200MB, 1GiB; default: 64MiB)")
    parser.add_argument("--max-line-size", type=byte_size, default=CleanConfig.max_line_bytes, metavar="SIZE",
                        help="a page with a longer single line is quarantined as too_large, uncleaned "
                             "(default: 8MiB)")
    parser.add_argument("--file-time-budget", type=seconds_or_none, default=CleanConfig.file_seconds,
                        metavar="SECONDS", help="a file whose cleaning takes longer is stopped and quarantined as "
                                                "too_complex (default: 300; 0: no budget)")


SIZE_UNITS = {"": 1, "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "kib": 2**10, "mib": 2**20, "gib": 2**30}


def byte_size(text: str) -> int:
    """A size in bytes, with an optional unit.

    >>> byte_size("64MiB"), byte_size("200 MB"), byte_size("1024")
    (67108864, 200000000, 1024)
    """
    number = text.strip().lower().rstrip("bikmg ")
    unit = text.strip().lower()[len(number):].replace(" ", "")
    try:
        value = float(number) * SIZE_UNITS[unit]
    except (ValueError, KeyError):
        raise argparse.ArgumentTypeError(f"{text!r} is not a size (e.g. 64MiB, 200MB, 1048576)") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1 byte, not {text!r}")
    return int(value)


def seconds_or_none(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 (no budget) or more, not {value}")
    return value


def add_output_options(parser: argparse.ArgumentParser) -> None:
    loud = parser.add_mutually_exclusive_group()
    loud.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no Prefect logs; errors only")
    loud.add_argument("-v", "--verbose", action="store_true", help="Prefect's logs at DEBUG level")
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object on stdout")


def out_dir_problem(out: Path) -> str | None:
    """Why ``out`` cannot be the output directory, or None: checked before Prefect starts."""
    if out.exists() and not out.is_dir():
        return f"--out {out} exists and is not a directory"
    existing = next((p for p in (out, *out.parents) if p.exists()), None)
    if existing is None or not existing.is_dir():
        return f"--out {out}: no existing directory above it"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"--out {out}: {existing} is not writable"
    return None


def configure_logging(args: argparse.Namespace) -> None:
    """-q: Prefect logs only errors; -v: DEBUG. Set before Prefect is imported."""
    if getattr(args, "quiet", False):
        os.environ["PREFECT_LOGGING_LEVEL"] = "ERROR"
    elif getattr(args, "verbose", False):
        os.environ["PREFECT_LOGGING_LEVEL"] = "DEBUG"


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def run_ingest(args: argparse.Namespace) -> int:
    from ingest.batch_ids import check_batch_id

    raw_dir = Path(args.raw_dir)
    if not raw_dir.is_dir():
        print(f"corpus ingest: {raw_dir} is not a directory", file=sys.stderr)
        return 2
    if args.batch_id is not None:
        try:
            check_batch_id(args.batch_id)
        except ValueError as error:
            print(f"corpus ingest: {error}", file=sys.stderr)
            return 2
    if problem := out_dir_problem(Path(args.out)):
        print(f"corpus ingest: {problem}", file=sys.stderr)
        return 2
    if args.batch_id is not None and not args.replace and batch_committed(args.out, args.batch_id):
        print(f"corpus ingest: batch {args.batch_id} is already committed in {args.out}; nothing was written. "
              "Pass --replace to replace it, or give another --batch-id (or none: the default is unique)",
              file=sys.stderr)
        return 2
    if not args.quiet:
        print(f"Ingesting {raw_dir} into {args.out} (starting Prefect; the first run takes a few seconds)…",
              file=sys.stderr, flush=True)
    return run_flow("ingest", args, raw_dir=str(raw_dir), out_dir=str(args.out), batch_id=args.batch_id,
                    replace=args.replace, not_chinese=args.not_chinese, **limit_parameters(args))


def batch_committed(out: str, batch_id: str) -> bool:
    """Whether ``out`` holds committed batch ``batch_id``; imports the ledger (pyarrow, ~0.13 s), so asked only
    when an id is given: the run's server is launched after these checks."""
    from ingest.ledger import committed_batches

    return batch_id in committed_batches(out)


def run_nightly(args: argparse.Namespace) -> int:
    raw_root = Path(args.raw_root)
    if not raw_root.is_dir():
        print(f"corpus nightly: raw root {raw_root} is not a directory", file=sys.stderr)
        return 2
    if problem := out_dir_problem(Path(args.out)):
        print(f"corpus nightly: {problem}", file=sys.stderr)
        return 2
    if not args.quiet:
        print(f"Ingesting what is new under {raw_root} into {args.out} (starting Prefect)…", file=sys.stderr,
              flush=True)
    return run_flow("nightly", args, raw_dir=str(raw_root), out_dir=str(args.out), new_only=True,
                    not_chinese=args.not_chinese, **limit_parameters(args))


def limit_parameters(args: argparse.Namespace) -> dict:
    """The flow's limit parameters, only when they differ from the defaults (older deployments lack them)."""
    from cleaners.model import CleanConfig

    given = {"max_file_size": args.max_file_size, "max_line_size": args.max_line_size,
             "file_time_budget": args.file_time_budget}
    defaults = {"max_file_size": CleanConfig.max_bytes, "max_line_size": CleanConfig.max_line_bytes,
                "file_time_budget": CleanConfig.file_seconds}
    return {name: value for name, value in given.items() if value != defaults[name]}


def run_flow(command: str, args: argparse.Namespace, **parameters) -> int:
    """Run the ingest flow on the chosen workers and print its summary; exit 1 if the run itself failed."""
    started = time.perf_counter()
    configure_logging(args)
    from flows.server import early_run_server

    early = early_run_server()  # starts while this process imports Prefect and the flow
    try:
        from flows.startup import collector_paused

        with collector_paused():  # ~290 000 objects, almost none garbage: the GC would walk them again and again
            from flows import progress
            from flows.ingest import ingest  # Prefect is imported only for commands that run a flow
            from flows.runners import chunk_runner
            from flows.server import server_for_this_run
            from ingest.store import remove_own_staging

            prepare_first_run()  # while the run's server starts
        bar = progress.RichBar(enabled=False if args.quiet or args.json else None)
        try:
            with server_for_this_run(early), progress.reporting(bar):
                summary = ingest.with_options(task_runner=chunk_runner(args.workers, args.dask_address))(**parameters)
        finally:
            bar.close()
            # Interrupted or failed: the workers are stopped by now, so what they staged can go.
            remove_own_staging(parameters["out_dir"])
    except Exception as error:  # the run itself failed: say so, exit non-zero
        print(f"corpus {command}: the run failed: {type(error).__name__}: {error}", file=sys.stderr)
        if args.json:
            print(json.dumps({"ok": False, "error": f"{type(error).__name__}: {error}"}))
        return 1
    finally:
        if early is not None:
            early.stop()  # already stopped when the run used it; not when the imports failed
    seconds = time.perf_counter() - started
    if args.json:
        print(json.dumps(summary_json(summary, seconds), ensure_ascii=False))
        return 0
    if not summary.committed:
        print(f"nothing new: all {summary.already_held} files are already ingested; nothing written "
              f"(seconds: {seconds:.1f})")
        return 0
    print(f"batch {summary.batch_id}: files read: {summary.files}, records written: {summary.records}, "
          f"quarantined: {summary.quarantined}, duplicates: {summary.duplicates}, seconds: {seconds:.1f}")
    if summary.quarantine_reasons:
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(summary.quarantine_reasons.items()))
        print(f"quarantine reasons: {reasons} (see {summary.out_dir}/quarantine)")
    return 0


# Modules Prefect imports on a process's first flow run (its parameters' JSON encoder from FastAPI, the flow
# graph's visualisation, the process pool's spawn, the host name codec): imported while the run's server
# starts, they are off the start's critical path; against a running server they cost the same either way.
FIRST_RUN_MODULES = ("prefect.flow_engine", "prefect.task_engine", "prefect.utilities.visualization",
                     "fastapi.encoders", "multiprocessing.spawn", "encodings.idna")


def prepare_first_run() -> None:
    """What the first flow run of this process would do before it can use the server: import Prefect's lazy
    modules (~0.15-0.25 s CPU), ask git for the pipeline's version."""
    import importlib

    from ingest.records import pipeline_version

    for name in FIRST_RUN_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # another Prefect: it imports what it needs when it needs it
            pass
    pipeline_version()


def summary_json(summary, seconds: float) -> dict:
    """The machine-readable summary ``--json`` prints."""
    return {"ok": True, "batch_id": summary.batch_id, "committed": summary.committed, "out_dir": str(summary.out_dir),
            "files": summary.files, "records": summary.records, "quarantined": summary.quarantined,
            "quarantine_reasons": dict(summary.quarantine_reasons), "duplicate_files": summary.duplicates,
            "duplicate_records": summary.duplicate_records,
            "already_held": summary.already_held, "seconds": round(seconds, 3)}


def run_serve(args: argparse.Namespace) -> int:
    from flows.serve import ServeOptions, serve

    try:
        options = ServeOptions.from_args(args)
    except ValueError as error:
        print(f"corpus serve: {error}", file=sys.stderr)
        return 2
    return serve(options)


def run_inspect(args: argparse.Namespace) -> int:
    from cleaners.errors import Rejected
    from cleaners.pipeline import DEFAULT_CONFIG, clean_bytes
    from ingest.readers import Item, read_items

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        print(f"corpus inspect: cannot read {path}: {error}", file=sys.stderr)
        return 2
    try:
        items = read_items(data, DEFAULT_CONFIG.max_bytes)
    except Rejected as rejection:
        print(f"{path}: would be quarantined ({rejection.reason}): {rejection.detail}")
        return 0
    for item in items if items is not None else [Item(data)]:
        if item.locator is not None:
            print(f"== item {item.locator}: url={item.source_url!r} fetched_at={item.fetched_at}"
                  + (f" title={item.title!r} published_at={item.published_at}" if item.title else ""))
        try:
            if item.problem is not None:
                raise item.problem
            cleaned = clean_bytes(item.data, hint=item.declared_charset)
        except Rejected as rejection:
            print(f"{path}: would be quarantined ({rejection.reason}): {rejection.detail}")
            continue
        for line in describe(cleaned, full=args.full):
            print(line)
    return 0


def describe(cleaned, full: bool = False) -> list[str]:
    """What `corpus inspect` prints: what each stage removed or changed, the page's metadata, each record."""
    from cleaners.text.layout import count_text_chars

    page = cleaned.page
    meta = page.meta
    lines = [f"format: {page.source_format}; encoding: {cleaned.decoded.encoding} "
             f"(confidence {cleaned.decoded.confidence:.2f}); language: {meta.language} "
             f"(confidence {meta.language_confidence:.2f})", "", "stages (what each removed or changed):"]
    for report in cleaned.reports:
        counts = ", ".join(f"{k} {v}" for k, v in report.counts.items()) or "no change"
        lines.append(f"  {report.stage}: {counts}")
        lines.extend(f"      e.g. {_one_line(example)}" for example in report.examples)
    lines += ["", f"page: title={meta.title!r} site={meta.site!r} url={meta.source_url!r}",
              f"      published_at={meta.published_at} author={meta.author!r} truncated={meta.truncated} "
              f"declared/shown/omitted={meta.declared_chars}/{meta.shown_chars}/{meta.omitted_chars}"]
    if meta.outline:
        lines.append(f"outline ({len(meta.outline)}): " + " | ".join(meta.outline))
    count = len(page.articles)
    lines.append(f"records: {count}")
    for index, article in enumerate(page.articles):
        repairs = ", ".join(f"{k} {v}" for k, v in article.repairs.items() if k != "redactions") or "none"
        lines += ["", f"record {index + 1}/{count} (part_index {index}): title={article.title or meta.title!r}",
                  f"  chars {count_text_chars(article.text)}, script {article.original_script}, "
                  f"redactions {article.repairs.get('redactions', 0)}; repairs: {repairs}"]
        paragraphs = article.text.split("\n")
        shown = paragraphs if full else paragraphs[:3]
        lines.extend(f"  | {p if full else p[:120]}" for p in shown)
        if len(shown) < len(paragraphs):
            lines.append(f"  | … {len(paragraphs) - len(shown)} more paragraphs")
    return lines


def _one_line(text: str) -> str:
    return text.replace("\n", " ⏎ ")


if __name__ == "__main__":
    sys.exit(main())
