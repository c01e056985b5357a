"""Issue 17: a Ctrl-C while the command line loads exits 130 without a traceback."""

from __future__ import annotations

import subprocess
import sys

# SIGINT arrives while loadwatch.cli is importing its modules, as a Ctrl-C in the first
# half second of a run does; the finder only marks the moment, it finds nothing itself.
CODE = """
import importlib.abc, os, runpy, signal, sys

class CtrlC(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "loadwatch.cli.team":
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, CtrlC())
sys.argv = ["loadwatch", "--help"]
runpy.run_module("loadwatch", run_name="__main__", alter_sys=True)
"""


def test_ctrl_c_during_start_up_is_quiet_exit_130():
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, timeout=60)
    assert done.returncode == 130, done.stderr.decode()[-2000:]
    assert b"Traceback" not in done.stderr and done.stdout == b""
