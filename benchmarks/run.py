"""Throughput of the pipeline against the usual libraries, on the same input, in one run.

    python -m benchmarks.run /tmp/bench/raw-100mb [--workers N] [--modes temporary,running]
                             [--baseline-max-mb 100] [--json result.json] [--python VENV/bin/python]

For the memory figures, give ``--python`` an interpreter installed from
``requirements.lock`` alone (README line 1): the dev extra holds pandas, which
pyarrow imports when it is there.

For each mode the pipeline runs as `corpus ingest` does, in a fresh process
(``benchmarks.probe``):

* ``temporary``: no ``PREFECT_API_URL``, so a server is started for the run
  and stopped after it (what a person gets from ``corpus ingest``);
* ``running``: against a Prefect server that is already up (what a served
  deployment or ``corpus nightly`` on a schedule gets).

While it runs, the RSS of its process tree is sampled every 0.1 s (the
Prefect server's processes counted apart). Then the baseline
(``benchmarks.baseline``: charset-normalizer → trafilatura for HTML → ftfy →
OpenCC t2s → one Parquet file) runs
on one core on the same files, or on an evenly spread subset of them
(``--baseline-max-mb``), and the ratio of per-core throughputs is reported.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
MB = 1e6


class TreeSampler:
    """Peak RSS of a process and its descendants, the Prefect server's processes apart."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak_pipeline = 0  # sum over the pipeline's processes
        self.peak_single = 0  # the largest single pipeline process
        self.peak_flow = 0  # the flow's own process (the root)
        self.peak_worker = 0  # the largest worker process
        self.peak_server = 0
        self.peak_all = 0  # sum over every process of the run, its Prefect server's included
        self.peaks: dict[int, tuple[str, int]] = {}  # pid → (its role, its peak RSS)
        self.processes_seen: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            pipeline, single, server, flow, worker = 0, 0, 0, 0, 0
            server_pids = set()
            try:
                processes = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                return
            for process in processes:
                try:
                    rss = process.memory_info().rss
                    is_server = is_prefect_server(process) or process.ppid() in server_pids
                except psutil.Error:
                    continue
                self.processes_seen.add(process.pid)
                role = "server" if is_server else "flow" if process.pid == self.root.pid else "worker"
                self.peaks[process.pid] = (role, max(rss, self.peaks.get(process.pid, (role, 0))[1]))
                if is_server:
                    server_pids.add(process.pid)
                    server += rss
                else:
                    pipeline += rss
                    single = max(single, rss)
                    if process.pid == self.root.pid:
                        flow = rss
                    else:
                        worker = max(worker, rss)
            self.peak_flow = max(self.peak_flow, flow)
            self.peak_worker = max(self.peak_worker, worker)
            self.peak_pipeline = max(self.peak_pipeline, pipeline)
            self.peak_single = max(self.peak_single, single)
            self.peak_server = max(self.peak_server, server)
            self.peak_all = max(self.peak_all, pipeline + server)
            self._stop.wait(self.interval)


def is_prefect_server(process: psutil.Process) -> bool:
    cmdline = " ".join(process.cmdline())
    return any(mark in cmdline for mark in ("uvicorn", "prefect server start", "prefect.server", "server_process"))


def run_pipeline(raw_dir: Path, work: Path, mode: str, workers: int | None, api_url: str | None,
                 python: str = sys.executable, code: Path = ROOT) -> dict:
    out = work / f"out-{mode}"
    shutil.rmtree(out, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    env["PYTHONPATH"] = str(code)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    command = [python, "-m", "benchmarks.probe", str(raw_dir), str(out)]
    if workers:
        command += ["--workers", str(workers)]
    log = work / f"pipeline-{mode}.log"
    with open(log, "wb") as stderr:
        process = subprocess.Popen(command, cwd=code, env=env, stdout=subprocess.PIPE, stderr=stderr)
        with TreeSampler(process.pid) as sampler:
            stdout, _ = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"the pipeline run failed ({process.returncode}); see {log}")
    result = json.loads(stdout.decode().strip().splitlines()[-1])
    result["rss"] = {"pipeline_peak_mb": sampler.peak_pipeline / 2**20,
                     "largest_process_peak_mb": sampler.peak_single / 2**20,
                     "flow_process_peak_mb": sampler.peak_flow / 2**20,
                     "largest_worker_peak_mb": sampler.peak_worker / 2**20,
                     "server_peak_mb": sampler.peak_server / 2**20,
                     "all_peak_mb": sampler.peak_all / 2**20,
                     "per_process_peak_mb": sorted(((role, rss / 2**20) for role, rss in sampler.peaks.values()),
                                                   key=lambda p: ("flow", "server", "worker").index(p[0])),
                     "processes": len(sampler.processes_seen)}
    result["output_bytes"] = sum(p.stat().st_size for p in out.rglob("*.parquet"))
    shutil.rmtree(out, ignore_errors=True)
    result["mode"] = mode
    result["breakdown"] = breakdown(result)
    return result


def breakdown(result: dict) -> dict:
    """Where the wall time went, on the critical path."""
    m, t = result["marks"], result["timings"]
    busy = {int(k): v for k, v in t["chunk_busy_by_pid"].items()}
    busiest = max(busy.values(), default=0.0)
    chunk_busy = t["chunk_busy"] or 1e-9
    write_share = t["chunk_write"] / chunk_busy
    keys_share = t.get("chunk_keys", 0.0) / chunk_busy
    parts = {
        "imports": m["imported"] - m["process_started"],
        "prefect_start (server for the run if none, flow run)": t["started_at"] - m["imported"],
        "plan (list, hash, ledger)": t["plan"],
        "prefect_worker_start_and_dispatch": t["clean"] - busiest,
        "cleaning": busiest * (1 - write_share - keys_share),
        "writing parts": busiest * write_share,
        "record keys (in the chunks: duplicates', furniture's)": busiest * keys_share,
        "furniture (flow, after the chunks)": t["furniture"],
        "duplicates (flow, after the chunks)": t["duplicates"],
        "commit (manifest, renames)": t["commit"],
        "prefect_artifacts": t["artifacts"],
        "prefect_flow_run_end": m["ended"] - t["finished_at"],
    }
    wall = m["ended"] - m["process_started"]
    parts["other (summary, logging)"] = wall - sum(parts.values())
    prefect = sum(v for k, v in parts.items() if k.startswith("prefect"))
    started = wall - parts["imports"] - parts["prefect_start (server for the run if none, flow run)"]
    workers = max(1, len(busy))
    mb = result["raw_bytes"] / MB
    return {
        "wall": wall, "parts": parts, "prefect_seconds": prefect, "prefect_share": prefect / wall,
        "workers": workers, "spawn_latency": max(0.0, t["first_chunk_started_at"] - t["clean_started_at"]),
        "mb_per_s": mb / wall,
        "mb_per_s_once_started": mb / started,
        "mb_per_s_per_core_once_started": mb / started / workers,
        "mb_per_s_per_core_cleaning_only": mb / chunk_busy,
        "chunk_cpu_seconds": chunk_busy, "chunk_write_seconds": t["chunk_write"],
    }


def run_baseline(raw_dir: Path, work: Path, max_mb: float | None, detector: str) -> dict:
    out = work / "baseline.parquet"
    command = [sys.executable, "-m", "benchmarks.baseline", str(raw_dir), str(out), "--detector", detector]
    if max_mb:
        command += ["--max-mb", str(max_mb)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True)
    result = json.loads(process.stdout.decode().strip().splitlines()[-1])
    result["output_bytes"] = out.stat().st_size
    out.unlink()
    return result


def report(raw_dir: Path, pipelines: list[dict], baseline: dict | None) -> str:
    lines = [f"## Benchmark of {raw_dir}", ""]
    first = pipelines[0]
    lines.append(f"{first['files']} files, {first['raw_bytes'] / MB:.1f} MB raw, {first['chunks']} chunks, "
                 f"{first['records']} records, {first['quarantined']} quarantined; chunks on {first['runner']}; "
                 f"machine: {psutil.cpu_count()} cores (shared).")
    lines += ["", "| | " + " | ".join(p["mode"] + " server" for p in pipelines) + " |",
              "|---|" + "---|" * len(pipelines)]

    def row(label, fn):
        lines.append(f"| {label} | " + " | ".join(fn(p) for p in pipelines) + " |")

    row("wall time", lambda p: f"{p['breakdown']['wall']:.1f} s")
    for part in first["breakdown"]["parts"]:
        row(f"  {part}", lambda p, part=part: f"{p['breakdown']['parts'][part]:.2f} s")
    row("Prefect's share of wall time", lambda p: f"{p['breakdown']['prefect_share']:.1%}")
    row("MB/s, whole run", lambda p: f"{p['breakdown']['mb_per_s']:.2f}")
    row("MB/s per core once Prefect has started", lambda p: f"{p['breakdown']['mb_per_s_per_core_once_started']:.2f}")
    row("MB/s per core inside the chunks (cleaning, writing, record keys)",
        lambda p: f"{p['breakdown']['mb_per_s_per_core_cleaning_only']:.2f}")
    row("peak RSS, every process of the run together", lambda p: f"{p['rss']['all_peak_mb']:.0f} MB")
    row("peak RSS, pipeline processes together", lambda p: f"{p['rss']['pipeline_peak_mb']:.0f} MB")
    row("peak RSS, the flow's process", lambda p: f"{p['rss']['flow_process_peak_mb']:.0f} MB")
    row("peak RSS, largest worker process", lambda p: f"{p['rss']['largest_worker_peak_mb']:.0f} MB")
    row("peak RSS, Prefect server (apart)", lambda p: f"{p['rss']['server_peak_mb']:.0f} MB"
        if p["rss"]["server_peak_mb"] else "not started by the run")
    row("peak RSS of each process (MB; those under 25 MB left out)", lambda p: ", ".join(
        f"{role} {mb:.0f}" for role, mb in p["rss"]["per_process_peak_mb"] if mb >= 25))
    row("Parquet written", lambda p: f"{p['output_bytes'] / MB:.1f} MB")
    if baseline:
        lines += ["", f"Baseline ({baseline['detector']} → trafilatura (HTML) → ftfy → OpenCC t2s → Parquet, one core): "
                      f"{baseline['files']} files, {baseline['raw_bytes'] / MB:.1f} MB in {baseline['seconds']:.1f} s = "
                      f"**{baseline['mb_per_s']:.2f} MB/s**, peak RSS {baseline['peak_rss_mb']:.0f} MB; steps: "
                      + ", ".join(f"{k} {v:.1f} s" for k, v in baseline["steps"].items())]
        for p in pipelines:
            b = p["breakdown"]
            lines.append(f"- ratio per core, {p['mode']} server: {b['mb_per_s_per_core_once_started'] / baseline['mb_per_s']:.2f}× "
                         f"once Prefect has started; {b['mb_per_s_per_core_cleaning_only'] / baseline['mb_per_s']:.2f}× "
                         "inside the chunks")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("raw_dir", type=Path)
    parser.add_argument("--workers", type=int, default=None, help="default: one process per core")
    parser.add_argument("--modes", default="temporary,running")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench/work"))
    parser.add_argument("--baseline-max-mb", type=float, default=None,
                        help="run the baseline on an evenly spread subset of this size (default: all)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--detector", choices=("charset-normalizer", "chardet"), default="charset-normalizer")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter of the pipeline's run: one installed from requirements.lock, as users "
                             "install it (default: this one; with the dev extra, pyarrow imports pandas in "
                             "every process: about 37 MB more each)")
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="the source tree whose pipeline runs (default: this one); e.g. a worktree of main, "
                             "for a before/after comparison")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)

    sys.path.insert(0, str(ROOT))
    from flows.server import LocalServer

    pipelines = []
    for mode in args.modes.split(","):
        if mode == "running":
            with LocalServer(args.work / "prefect-home", port=None) as server:
                pipelines.append(run_pipeline(args.raw_dir, args.work, mode, args.workers, server.api_url,
                                              args.python, args.code.resolve()))
        else:
            pipelines.append(run_pipeline(args.raw_dir, args.work, mode, args.workers, None, args.python,
                                          args.code.resolve()))
        print(f"{mode}: {pipelines[-1]['breakdown']['wall']:.1f} s", file=sys.stderr, flush=True)
    baseline = None if args.no_baseline else run_baseline(args.raw_dir, args.work, args.baseline_max_mb, args.detector)
    text = report(args.raw_dir, pipelines, baseline)
    print(text)
    if args.json:
        args.json.write_text(json.dumps({"pipelines": pipelines, "baseline": baseline, "report": text}, indent=2))


if __name__ == "__main__":
    main()
