"""The chunk pool's worker processes: plain spawned processes without Prefect; a dead worker fails one call."""

from __future__ import annotations

import os
import threading
import time

import psutil
import pytest

from flows.workers import WorkerDied, WorkerProcesses, death_cause
from tests import worker_probes


def test_a_worker_is_another_process_that_holds_no_prefect():
    workers = WorkerProcesses(1)
    try:
        assert workers.run(worker_probes.pid) != os.getpid()
        assert workers.run(worker_probes.prefect_modules) == []
    finally:
        workers.release()


def test_an_exception_in_the_worker_is_the_callers_and_the_worker_stays():
    workers = WorkerProcesses(1)
    try:
        first = workers.run(worker_probes.pid)
        with pytest.raises(ValueError, match="a bug in the chunk"):
            workers.run(worker_probes.fail, "a bug in the chunk")
        assert workers.run(worker_probes.pid) == first
    finally:
        workers.release()


@pytest.mark.parametrize("code, cause", [(3, "exited with code 3"), (-9, "killed by SIGKILL")])
def test_a_dead_worker_fails_only_its_call_and_the_next_call_gets_a_new_one(code, cause):
    workers = WorkerProcesses(1)
    try:
        first = workers.run(worker_probes.pid)
        with pytest.raises(WorkerDied, match=f"pid {first}.*{cause}"):
            if code < 0:
                workers.run(os.kill, first, -code)
            else:
                workers.run(worker_probes.exit_with, code)
        assert not psutil.pid_exists(first) or psutil.Process(first).status() == psutil.STATUS_ZOMBIE
        assert workers.run(worker_probes.pid) not in (first, os.getpid())
    finally:
        workers.release()


def test_released_workers_are_gone_and_killed_ones_free_their_callers_at_once():
    workers = WorkerProcesses(2)
    pids = {workers.run(worker_probes.pid) for _ in range(2)}
    workers.release()
    assert all(not psutil.pid_exists(pid) for pid in pids)

    outcome: list[BaseException] = []

    def wait_for_a_long_call():
        try:
            workers.run(time.sleep, 600)
        except BaseException as error:
            outcome.append(error)

    caller = threading.Thread(target=wait_for_a_long_call)
    caller.start()
    deadline = time.monotonic() + 60
    while not workers.pids() and time.monotonic() < deadline:
        time.sleep(0.05)
    (pid,) = workers.pids()
    child = psutil.Process(pid)
    workers.kill()
    caller.join(timeout=30)
    assert not caller.is_alive() and isinstance(outcome[0], WorkerDied)
    assert not child.is_running() or child.status() == psutil.STATUS_ZOMBIE
    with pytest.raises(RuntimeError, match="released"):
        workers.run(worker_probes.pid)


def test_death_causes():
    assert death_cause(-11) == "was killed by SIGSEGV (a crash in compiled code)"
    assert death_cause(-15) == "was killed by SIGTERM"
    assert death_cause(1) == "exited with code 1"


def test_a_worker_does_not_run_the_parents_main_module(tmp_path):
    """spawn would run the parent's main again in each worker: a script that imports Prefect (or
    ``python -m prefect.engine``, a work pool's flow run) would load Prefect into every worker, and a
    script without the ``__main__`` guard would fail to start one."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = tmp_path / "no_guard.py"
    script.write_text("import prefect  # noqa: F401\nfrom flows.workers import WorkerProcesses\n"
                      "from tests import worker_probes\nworkers = WorkerProcesses(1)\n"
                      "print('worker holds', workers.run(worker_probes.prefect_modules))\nworkers.release()\n")
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "worker holds []"


def doubled(question):
    if question == "boom":
        raise KeyError("no answer to boom")
    return question * 2


def test_a_worker_asks_the_parent_and_gets_its_answers_or_its_exceptions():
    from flows.workers import Service

    workers = WorkerProcesses(1, service=Service(answer=doubled, install=worker_probes.keep_asker))
    try:
        assert workers.run(worker_probes.ask_parent, 2, "ab") == [4, "abab"]
        with pytest.raises(KeyError, match="no answer to boom"):
            workers.run(worker_probes.ask_parent, 1, "boom")
        assert workers.run(worker_probes.ask_parent, 3) == [6]
    finally:
        workers.release()


SHORT_ENGLISH = "This is the Debian GNU/Linux package. It provides the Debian GNU/Linux FAQ."


def test_workers_get_lingua_s_values_from_the_parent_so_its_models_are_loaded_once():
    """A short non-Chinese sample makes lingua load every n-gram length (~125 MB): once a run, in the flow's
    process, not in each worker; the guesses are the ones made in the worker itself."""
    from flows.workers import LANGUAGE_SCORES
    from tests.conftest import ROOT

    prose = (ROOT / "tests" / "data" / "prose" / "debian-faq-zh-cn.copyright").read_text(encoding="utf-8")
    texts = (SHORT_ENGLISH, "C'est une page en français, assez courte.", prose[:3000], "纯中文的页面，没有别的语言。")
    alone = WorkerProcesses(1)
    try:
        expected, grown_alone = alone.run(worker_probes.languages_here, *texts)
    finally:
        alone.release()
    served = WorkerProcesses(1, service=LANGUAGE_SCORES)
    try:
        guesses, grown_served = served.run(worker_probes.languages_here, *texts)
    finally:
        served.release()
    assert [code for code, _ in expected] == ["en", "fr", "en", "zh"]
    assert guesses == expected
    assert grown_alone > 60 and grown_served < 20, (grown_alone, grown_served)
