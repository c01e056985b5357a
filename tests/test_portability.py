"""loadwatch on any desktop OS: no Unix-only module at start-up, writes that work without
POSIX owner calls, a password file check that means something on the platform."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

UNIX_ONLY = ("fcntl", "pwd", "grp", "resource", "termios", "tty", "pty", "syslog", "posixshmem",
             "_posixshmem")
"""Modules Windows does not have (its Python has no such module at all)."""

OPTIONAL = ("dask", "distributed")
"""Extras a module may need that are not installed by default."""

IMPORT_ALL = textwrap.dedent("""
    import importlib, importlib.abc, json, pkgutil, sys

    BLOCKED = set(sys.argv[1].split(","))
    OPTIONAL = set(sys.argv[2].split(","))

    class Windowsish(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, Windowsish())
    for name in list(sys.modules):
        if name.split(".")[0] in BLOCKED:
            del sys.modules[name]

    try:
        import fcntl  # noqa: F401 - proves the block works
        blocking = False
    except ModuleNotFoundError:
        blocking = True

    import loadwatch

    imported, skipped, failed = [], [], []

    def broken(name):
        failed.append([name, repr(sys.exc_info()[1])])

    for info in pkgutil.walk_packages(loadwatch.__path__, "loadwatch.", onerror=broken):
        if info.name.rsplit(".", 1)[-1] == "__main__":
            continue
        try:
            importlib.import_module(info.name)
        except ModuleNotFoundError as exc:
            if (exc.name or "").split(".")[0] in OPTIONAL:
                skipped.append(info.name)
            else:
                failed.append([info.name, repr(exc)])
        except Exception as exc:
            failed.append([info.name, repr(exc)])
        else:
            imported.append(info.name)

    # The command line works too, the pain diary's lock included.
    from click.testing import CliRunner
    from loadwatch.cli import cli
    folder = sys.argv[3]
    runner = CliRunner()
    init = runner.invoke(cli, ["init", folder, "--name", "Ana", "--tz", "Europe/Oslo"])
    add = runner.invoke(cli, ["pain", "add", "--athlete", folder, "--severity", "2",
                              "--date", "2026-11-20"])
    leaked = sorted(n for n in sys.modules if n.split(".")[0] in BLOCKED)
    print(json.dumps({"blocking": blocking, "imported": imported, "skipped": skipped, "failed": failed,
                      "leaked": leaked, "init": [init.exit_code, init.output],
                      "add": [add.exit_code, add.output]}))
""")


def test_every_module_imports_without_unix_only_modules(tmp_path):
    proc = subprocess.run([sys.executable, "-c", IMPORT_ALL, ",".join(UNIX_ONLY),
                           ",".join(OPTIONAL), str(tmp_path / "ana")],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout.splitlines()[-1])
    assert result["blocking"]
    assert result["failed"] == [], result["failed"]
    assert result["leaked"] == []
    names = set(result["imported"])
    for module in ("loadwatch.cli", "loadwatch.pain.diary", "loadwatch.alerts.state",
                   "loadwatch.progress", "loadwatch.squad", "loadwatch.importers.scan"):
        assert module in names
    assert len(names) >= 70                      # every module of the package, not a few
    assert result["init"][0] == 0, result["init"]
    assert result["add"][0] == 0, result["add"]
    assert "severity 2/10" in result["add"][1]
    assert (tmp_path / "ana" / "pain.csv").read_text(encoding="utf-8").count("\n") == 2


def test_the_package_source_names_no_unix_only_module():
    """A static check beside the run: no ``import fcntl`` anywhere, even in a function."""
    offenders = []
    for path in (ROOT / "loadwatch").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            words = line.strip().replace(",", " ").split()
            if words[:1] in (["import"], ["from"]) and len(words) > 1 \
                    and words[1].split(".")[0] in UNIX_ONLY:
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_atomic_writes_need_no_posix_owner_calls(tmp_path, monkeypatch):
    """Windows' os has no fchown, fchmod (before 3.13), geteuid or getegid."""
    from loadwatch import fileio

    target = tmp_path / "report.txt"
    target.write_text("old")
    for name in ("fchown", "fchmod", "geteuid", "getegid"):
        monkeypatch.delattr(os, name, raising=False)
    fileio.write_atomic(target, b"new")
    fileio.write_atomic(tmp_path / "fresh.txt", b"made")
    assert target.read_bytes() == b"new" and (tmp_path / "fresh.txt").read_bytes() == b"made"


def test_password_file_permissions_are_checked_where_they_mean_something(tmp_path, monkeypatch):
    from loadwatch import fileio
    from loadwatch.alerts import settings
    from loadwatch.config import ConfigError

    secret = tmp_path / "pw"
    secret.write_text("hunter2\n")
    secret.chmod(0o644)
    monkeypatch.delenv(settings.PASSWORD_ENV, raising=False)
    smtp = settings.SmtpSettings(password_file=str(secret))
    with pytest.raises(ConfigError, match="chmod 600"):
        smtp.password()
    # Windows reports every file as 0o666 and guards it with ACLs in the user's profile.
    monkeypatch.setattr(fileio, "MODE_BITS_MEAN_ACCESS", False)
    assert smtp.password() == "hunter2"


def test_python_dash_m_loadwatch_is_the_command():
    proc = subprocess.run([sys.executable, "-m", "loadwatch", "--version"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith("loadwatch, version")


def test_shell_completion_is_clicks_own(tmp_path):
    env = {**os.environ, "_LOADWATCH_COMPLETE": "bash_complete", "COMP_WORDS": "loadwatch rep",
           "COMP_CWORD": "1"}
    proc = subprocess.run([sys.executable, "-m", "loadwatch"], capture_output=True, text=True,
                          env=env, timeout=60)
    assert proc.returncode == 0 and "plain,report" in proc.stdout.split()
    env = {**os.environ, "_LOADWATCH_COMPLETE": "zsh_source"}
    proc = subprocess.run([sys.executable, "-m", "loadwatch"], capture_output=True, text=True,
                          env=env, timeout=60)
    assert proc.returncode == 0 and "#compdef loadwatch" in proc.stdout
