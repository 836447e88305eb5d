"""The ``corpus`` command."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.run(args)


def build_parser() -> argparse.ArgumentParser:
    from ingest.records import pipeline_version

    parser = argparse.ArgumentParser(prog="corpus", description="Clean scraped Chinese pages into Parquet.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {pipeline_version()}")
    commands = parser.add_subparsers(dest="command", required=True)

    ingest = commands.add_parser("ingest", help="ingest every file under RAW_DIR as one batch")
    ingest.add_argument("raw_dir", metavar="RAW_DIR")
    ingest.add_argument("--out", default="curated", help="output directory (default: curated/)")
    ingest.add_argument("--batch-id", default=None, help="batch id (default: <dir name>-<date>)")
    add_language_option(ingest)
    add_worker_options(ingest)
    add_output_options(ingest)
    ingest.set_defaults(run=run_ingest)

    nightly = commands.add_parser("nightly", help="ingest, as one new batch, every file under the raw root "
                                                  "whose content no earlier batch holds")
    nightly.add_argument("--raw-root", default="raw", help="raw root (default: raw/)")
    nightly.add_argument("--out", default="curated", help="output directory (default: curated/)")
    add_language_option(nightly)
    add_worker_options(nightly)
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
    from ingest.batch import check_batch_id

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
    if not args.quiet:
        print(f"Ingesting {raw_dir} into {args.out} (starting Prefect; the first run takes a few seconds)…",
              file=sys.stderr, flush=True)
    return run_flow("ingest", args, raw_dir=str(raw_dir), out_dir=str(args.out), batch_id=args.batch_id,
                    not_chinese=args.not_chinese)


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
                    not_chinese=args.not_chinese)


def run_flow(command: str, args: argparse.Namespace, **parameters) -> int:
    """Run the ingest flow on the chosen workers and print its summary; exit 1 if the run itself failed."""
    started = time.perf_counter()
    configure_logging(args)
    try:
        from flows import progress
        from flows.ingest import ingest  # Prefect is imported only for commands that run a flow
        from flows.runners import chunk_runner
        from flows.server import server_for_this_run

        bar = progress.RichBar(enabled=False if args.quiet or args.json else None)
        try:
            with server_for_this_run(), progress.reporting(bar):
                summary = ingest.with_options(task_runner=chunk_runner(args.workers, args.dask_address))(**parameters)
        finally:
            bar.close()
    except Exception as error:  # the run itself failed: say so, exit non-zero
        print(f"corpus {command}: the run failed: {type(error).__name__}: {error}", file=sys.stderr)
        if args.json:
            print(json.dumps({"ok": False, "error": f"{type(error).__name__}: {error}"}))
        return 1
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
