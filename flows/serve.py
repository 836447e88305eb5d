"""``corpus serve``: the ``nightly`` and ``manual`` deployments of the ingest flow, served from this process.

``ingest/nightly`` runs on a cron schedule (02:00 Asia/Shanghai unless told
otherwise) over the raw root with ``new_only=True``. ``ingest/manual`` has no
schedule: a person triggers it with a raw directory, e.g.
``prefect deployment run 'ingest/manual' --param raw_dir=/data/raw/crawl-42``;
its parameters (``raw_dir``, ``out_dir``, ``batch_id``) are validated by the
flow's pydantic types when the run starts.
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

HH_MM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class ServeOptions:
    raw_root: Path
    out_dir: Path
    cron: str
    timezone: str
    prefect_home: Path
    port: int | None = None
    workers: int | None = None
    dask_address: str | None = None
    not_chinese: str = "keep"  # what both deployments do with pages in other languages (their default)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> ServeOptions:
        raw_root = Path(args.raw_root).resolve()
        if not raw_root.is_dir():
            raise ValueError(f"raw root {raw_root} is not a directory")
        return cls(
            raw_root=raw_root,
            out_dir=Path(args.out).resolve(),
            cron=args.cron or daily_cron(args.at),
            timezone=check_timezone(args.timezone),
            prefect_home=Path(args.prefect_home).resolve(),
            port=args.port,
            workers=args.workers,
            dask_address=args.dask_address,
            not_chinese=getattr(args, "not_chinese", "keep"),
        )


def daily_cron(at: str) -> str:
    """``HH:MM`` → the cron expression of a daily run at that time.

    >>> daily_cron("02:00"), daily_cron("23:45")
    ('0 2 * * *', '45 23 * * *')
    """
    match = HH_MM.match(at)
    if not match:
        raise ValueError(f"--at wants a time as HH:MM (24-hour), not {at!r}")
    return f"{int(match.group(2))} {int(match.group(1))} * * *"


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as Asia/Shanghai or UTC)") from None
    return name


def deployment_specs(options: ServeOptions) -> list[dict]:
    """The two deployments of the ingest flow, as arguments of ``Runner.add_flow``."""
    from prefect.schedules import Cron

    return [
        dict(name="nightly",
             schedules=[Cron(options.cron, timezone=options.timezone)],
             parameters={"raw_dir": str(options.raw_root), "out_dir": str(options.out_dir), "new_only": True,
                         "not_chinese": options.not_chinese},
             description=f"Every file under {options.raw_root} that no earlier batch holds, as one new batch.",
             tags=["corpus", "nightly"]),
        dict(name="manual",
             parameters={"out_dir": str(options.out_dir), "not_chinese": options.not_chinese},
             description="One batch from the raw directory given as raw_dir (optionally out_dir, batch_id).",
             tags=["corpus", "manual"]),
    ]


def serve(options: ServeOptions) -> int:
    """Serve both deployments until interrupted (^C or SIGTERM); stop the local server if we started one."""
    from flows.server import LocalServer, configured_api_url

    # Until Prefect's runner installs its own handler: SIGTERM unwinds, so the local server is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    url = configured_api_url()
    server = None if url else LocalServer(options.prefect_home, options.port)
    try:
        with server or nullcontext():
            url = url or server.api_url
            where = "" if server is None else f" (started here; state in {options.prefect_home})"
            print(f"Prefect API: {url}{where}", flush=True)
            run_deployments(options, url)
    except (KeyboardInterrupt, SystemExit):
        pass
    except Exception as error:
        print(f"corpus serve: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


def run_deployments(options: ServeOptions, url: str) -> None:
    """Register both deployments with a Prefect runner in this process and run it until stopped.

    ``Runner.add_flow`` (not ``serve(*deployments)``) keeps the flow object, so
    the runs use the task runner chosen here (``--workers``/``--dask-address``)
    instead of re-importing the flow with its defaults.
    """
    import asyncio

    from prefect.runner import Runner

    from flows.ingest import ingest
    from flows.runners import chunk_runner, describe_runner
    from flows.server import use_api

    runner_for_chunks = chunk_runner(options.workers, options.dask_address)
    flow = ingest.with_options(task_runner=runner_for_chunks)
    with use_api(url):
        runner = Runner(name="corpus-serve", pause_on_shutdown=True)
        for spec in deployment_specs(options):
            runner.add_flow(flow, **spec)
        print(f"Deployments are being served: ingest/nightly (cron '{options.cron}' in {options.timezone}, "
              f"over {options.raw_root}) and ingest/manual; both write to {options.out_dir}; "
              f"chunks run on {describe_runner(runner_for_chunks)}.", flush=True)
        print("Trigger a manual run with: prefect deployment run 'ingest/manual' --param raw_dir=/path/to/batch",
              flush=True)
        asyncio.run(runner.start())
