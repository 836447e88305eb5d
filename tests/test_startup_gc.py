"""The start's imports with the cyclic GC paused (``flows.startup``) and the run server's process (``flows.server_process``)."""

from __future__ import annotations

import gc
import subprocess
import sys

from flows.startup import collector_paused
from tests.conftest import ROOT


def run(script: str) -> str:
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_the_collector_is_paused_inside_and_restored_as_it_was_after():
    was = gc.isenabled()
    try:
        for before in (True, False):
            gc.enable() if before else gc.disable()
            with collector_paused():
                assert not gc.isenabled()
            assert gc.isenabled() is before
    finally:
        gc.enable() if was else gc.disable()


def test_the_collector_is_restored_when_the_block_raises():
    class Boom(Exception):
        pass

    assert gc.isenabled()
    try:
        with collector_paused():
            raise Boom
    except Boom:
        pass
    assert gc.isenabled()


def test_what_the_block_built_is_frozen_and_garbage_after_it_is_still_collected():
    """Frozen: the objects alive at the block's end; a cycle made after it is collected as usual."""
    out = run("import gc\nfrom flows.startup import collector_paused\n"
              "frozen = gc.get_freeze_count()\n"
              "with collector_paused():\n    kept = [[i] for i in range(50000)]\n"
              "grown = gc.get_freeze_count() - frozen\n"
              "class Cycle:\n    pass\n"
              "c = Cycle(); c.me = c; del c\n"
              "print(grown >= 50000, gc.collect() >= 1)")
    assert out == "True True"


def test_the_server_process_imports_the_servers_modules_of_this_prefect_frozen():
    out = run("import gc, sys\nfrom flows.server_process import SERVER_MODULES, import_server_modules\n"
              "missing = import_server_modules()\n"
              "print(missing, 'prefect.server.api.server' in sys.modules, gc.isenabled(), gc.get_freeze_count() > 100000)")
    assert out == "[] True True True"


def test_the_server_process_is_prefects_command_line():
    """Same arguments, same answers: what ``python -m prefect`` prints, ``python -m flows.server_process`` prints."""
    for args in (["--version"], ["server", "start", "--help"]):
        ours = subprocess.run([sys.executable, "-m", "flows.server_process", *args], cwd=ROOT, capture_output=True,
                              text=True, timeout=300)
        prefects = subprocess.run([sys.executable, "-m", "prefect", *args], cwd=ROOT, capture_output=True,
                                  text=True, timeout=300)
        assert (ours.returncode, ours.stdout) == (prefects.returncode, prefects.stdout)
        assert ours.stdout.strip()


def test_the_server_command_is_not_fooled_by_a_flows_package_in_the_working_directory(tmp_path):
    """Prefect users keep their own ``flows/``: the run's server must still be ours (and Prefect's)."""
    from flows.server import server_command

    for name in ("flows", "prefect"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("raise SystemExit('the working directory was imported')\n")
    ours = subprocess.run(server_command("--version"), cwd=tmp_path, capture_output=True, text=True, timeout=300)
    prefects = subprocess.run([sys.executable, "-m", "prefect", "--version"], cwd=ROOT, capture_output=True,
                              text=True, timeout=300)
    assert (ours.returncode, ours.stdout) == (0, prefects.stdout), ours.stderr[-2000:]
