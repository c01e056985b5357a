"""Issue 11, item 1: outputs never replace what they must not, and keep their permissions."""

from __future__ import annotations

import os
import stat

import pytest

from loadwatch import fileio, pain
from tests.hostile.helpers import deadline, gpx, invoke, run_cli


@pytest.fixture()
def runs(tmp_path):
    folder = tmp_path / "runs"
    folder.mkdir()
    (folder / "a.gpx").write_bytes(gpx())
    return folder


def _device(path):
    """A character device like /dev/null (1, 3) in a temporary folder; skip without the right."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here ({exc})")
    return path


def _one_error_line(stderr: str) -> str:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error: "), stderr
    return lines[0]


def test_out_to_a_fifo_is_refused_and_the_fifo_kept(runs, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = invoke("timeline", runs, "--no-cache", "--out", fifo)
    assert result.exit_code == 2
    assert "FIFO" in _one_error_line(result.stderr)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_out_to_a_device_is_refused_and_the_device_kept(runs, tmp_path):
    node = _device(tmp_path / "null")
    result = invoke("timeline", runs, "--no-cache", "--out", node)
    assert result.exit_code == 2
    assert "device" in _one_error_line(result.stderr)
    assert stat.S_ISCHR(os.lstat(node).st_mode)


def test_a_link_to_a_device_is_refused_too(runs, tmp_path):
    node = _device(tmp_path / "null")
    link = tmp_path / "report.txt"
    link.symlink_to(node)
    result = invoke("timeline", runs, "--no-cache", "--out", link)
    assert result.exit_code == 2
    assert stat.S_ISCHR(os.lstat(node).st_mode) and link.is_symlink()


def test_out_to_a_folder_is_one_line_exit_2(runs, tmp_path):
    folder = tmp_path / "outdir"
    folder.mkdir()
    result = invoke("timeline", runs, "--no-cache", "--out", folder)
    assert result.exit_code == 2
    assert "directory" in _one_error_line(result.stderr)
    assert folder.is_dir() and not any(folder.iterdir())


def test_chart_to_a_fifo_is_refused_before_any_work(runs, tmp_path):
    fifo = tmp_path / "chart.png"
    os.mkfifo(fifo)
    result = invoke("report", runs, "--no-cache", "--as-of", "2026-11-12", "--chart", fifo)
    assert result.exit_code == 2
    assert "FIFO" in result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_report_out_to_a_device_through_the_real_entry_point(runs, tmp_path):
    node = _device(tmp_path / "null")
    proc = run_cli("report", runs, "--no-cache", "--as-of", "2026-11-12", "--out", node)
    assert proc.returncode == 2, proc.stderr
    assert stat.S_ISCHR(os.lstat(node).st_mode)


def test_a_symlinked_out_is_written_through(runs, tmp_path):
    real = tmp_path / "synced" / "timeline.csv"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "timeline.csv"
    link.symlink_to(real)
    result = invoke("timeline", runs, "--no-cache", "--format", "csv", "--out", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text().startswith("activity_id") or "2026-11-10" in real.read_text()


def test_an_existing_out_keeps_its_permission_bits(runs, tmp_path):
    out = tmp_path / "report.txt"
    out.write_text("old\n")
    out.chmod(0o600)
    result = invoke("report", runs, "--no-cache", "--as-of", "2026-11-12", "--out", out)
    assert result.exit_code == 0, result.output
    assert "loadwatch weekly report" in out.read_text()
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_an_existing_out_keeps_its_owner(runs, tmp_path):
    out = tmp_path / "report.txt"
    out.write_text("old\n")
    os.chown(out, 4321, 4321)
    out.chmod(0o640)
    assert invoke("timeline", runs, "--no-cache", "--out", out).exit_code == 0
    st = out.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (4321, 4321, 0o640)


def test_a_new_out_gets_the_umask_permissions(runs, tmp_path):
    out = tmp_path / "new" / "timeline.txt"
    old = os.umask(0o027)
    try:
        assert invoke("timeline", runs, "--no-cache", "--out", out).exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_pain_add_to_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pain.csv"
    os.mkfifo(fifo)
    proc = run_cli("pain", "add", "--pain", fifo, "--date", "2026-11-12", "--severity", "2",
                   timeout=30)
    assert proc.returncode == 2, proc.stderr
    assert b"FIFO" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_pain_add_to_a_device_is_refused(tmp_path):
    node = _device(tmp_path / "pain.csv")
    result = invoke("pain", "add", "--pain", node, "--date", "2026-11-12", "--severity", "2")
    assert result.exit_code == 2
    assert stat.S_ISCHR(os.lstat(node).st_mode)


def test_pain_list_and_report_of_a_fifo_diary_do_not_block(runs, tmp_path):
    fifo = tmp_path / "pain.csv"
    os.mkfifo(fifo)
    with deadline(10), pytest.raises(pain.DiaryError, match="FIFO"):
        pain.read_diary(fifo)
    proc = run_cli("report", runs, "--no-cache", "--as-of", "2026-11-12", "--pain", fifo,
                   timeout=60)
    assert proc.returncode == 2, proc.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="only root can give a file to another user")
def test_the_diary_keeps_its_owner_and_mode(tmp_path):
    diary = tmp_path / "pain.csv"
    diary.write_text("date,severity,location,side,onset,symptoms,notes\n")
    os.chown(diary, 4321, 4321)
    diary.chmod(0o600)
    pain.append_entry(diary, {"date": "2026-11-12", "severity": "2"})
    st = diary.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (4321, 4321, 0o600)
    assert len(pain.read_diary(diary).entries) == 1


def test_a_symlinked_diary_stays_a_link(tmp_path):
    real = tmp_path / "elsewhere.csv"
    link = tmp_path / "pain.csv"
    link.symlink_to(real)
    pain.append_entry(link, {"date": "2026-11-12", "severity": "2"})
    pain.append_entry(link, {"date": "2026-11-13", "severity": "1"})
    assert link.is_symlink()
    assert len(pain.read_diary(real).entries) == 2


def test_the_helper_refuses_a_folder(tmp_path):
    with pytest.raises(fileio.UnsafeTarget, match="directory"):
        fileio.write_atomic(tmp_path, b"x")
