"""Reading and writing the user's files safely: regular files only, atomic writes.

Every file loadwatch writes (``--out``, ``--chart``, the pain diary) goes through
:func:`write_atomic`, and every file it reads from a folder it did not create goes
through :func:`read_regular`. Both refuse what is not a regular file:

- writing: a device (``/dev/null``), a FIFO, a socket or a directory is refused with
  :class:`UnsafeTarget` before anything is written. ``os.replace`` over a device node
  would swap it for a regular file, which, run as root, breaks the system's
  ``/dev/null``;
- reading: a FIFO would block forever and a device such as ``/dev/zero`` never ends,
  so both are refused with :class:`NotRegular` before a byte is read.

Symbolic links are written through: when the target is a link, the file it points
to is replaced (and checked like any target) and the link itself stays a link. This
is what a user who keeps a report or a diary in a synced folder and links to it
expects; the write still goes through the same checks, so a link to ``/dev/null``
is refused like ``/dev/null`` itself.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


class UnsafeTarget(ValueError):
    """An output path that must not be replaced (a device, FIFO, socket or directory).

    The message is one line naming the path and what it is.
    """


class NotRegular(OSError):
    """A path that is not a regular file, so reading it could block or never end."""


def kind(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words.

    >>> kind(stat.S_IFIFO | 0o644)
    'a FIFO (named pipe)'
    """
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_target(path: str | os.PathLike) -> Path:
    """The file a write to ``path`` would replace, links followed; refuse a non-regular one.

    Parameters
    ----------
    path : path
        The output path as the user gave it.

    Returns
    -------
    Path
        ``path`` with symbolic links resolved (the file that will be replaced).

    Raises
    ------
    UnsafeTarget
        The target exists and is a directory, device, FIFO or socket.
    """
    path = Path(path)
    target = Path(os.path.realpath(path))
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise UnsafeTarget(f"{path}: cannot write there ({exc.strerror or exc})") from None
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeTarget(f"{path}: refused to write: it is {kind(st.st_mode)}, "
                           "not a regular file")
    return target


def write_atomic(path: str | os.PathLike, data: bytes) -> Path:
    """Replace the file at ``path`` with ``data``, all or nothing.

    Parameters
    ----------
    path : path
        The output. A symbolic link is written through (its target is replaced).
    data : bytes
        The new content.

    Returns
    -------
    Path
        The file written (links resolved).

    Raises
    ------
    UnsafeTarget
        The target is a directory, device, FIFO or socket (nothing is written).
    OSError
        The folder cannot be created or written.

    Notes
    -----
    The bytes go to a hidden temporary file in the same folder, which is fsynced
    and moved over the target with ``os.replace``; the folder is fsynced after, so
    a crash leaves the old file or the new one, never half of one. An existing file
    keeps its permission bits and, where the process may set them, its owner and
    group (a ``chmod 600`` report of health data stays private). A new file gets
    ``0666`` minus the umask, like any file the user creates.
    """
    target = check_target(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        old = os.stat(target)
    except FileNotFoundError:
        old = None
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        if old is not None:
            mode = stat.S_IMODE(old.st_mode)
            # Owner first: chown may clear set-id bits, the chmod after puts them back.
            # Windows has no owner calls (its files' access is their ACLs): nothing to keep.
            with contextlib.suppress(PermissionError):
                if hasattr(os, "fchown") and (old.st_uid, old.st_gid) != (os.geteuid(),
                                                                           os.getegid()):
                    os.fchown(fd, old.st_uid, old.st_gid)
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        else:
            os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        # Checked again just before the move: the target may have changed meanwhile.
        check_target(target)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)
    return target


@contextlib.contextmanager
def locked(path: str | os.PathLike) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` for a read-modify-write of it.

    The lock is the hidden sidecar ``.<name>.lock`` beside the file (``filelock``:
    the same on Linux, macOS and Windows; fcntl exists on Unix only), left in place
    afterwards: removing it would race with the next writer. Every program that
    reads a user file to write it back (the diary, ``loadwatch.toml``) holds it
    from the read to the write, so two at once queue instead of one losing the
    other's change.
    """
    # Start-up: filelock only for a command that writes a user file.
    import filelock

    target = Path(os.path.realpath(path))
    with filelock.FileLock(str(target.with_name(f".{target.name}.lock"))):
        yield


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort: some file systems refuse)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def read_regular(path: str | os.PathLike, limit: int | None = None,
                 check: Callable[[os.stat_result], None] | None = None) -> bytes:
    """The bytes of a regular file, never blocking on a FIFO or reading a device.

    Parameters
    ----------
    path : path
    limit : int or None
        Refuse files larger than this. [bytes]
    check : callable, optional
        Called with the ``fstat`` of the open file before a byte is read (it may
        raise): what it checks is the file that will be read, not one swapped in.

    Returns
    -------
    bytes

    Raises
    ------
    NotRegular
        ``path`` is a FIFO, device, socket or directory, or larger than ``limit``.
    OSError
        It cannot be opened or read.

    Notes
    -----
    The file is opened with ``O_NONBLOCK`` (so opening a FIFO without a writer
    returns at once) and checked with ``fstat`` on the open descriptor, so a file
    swapped for a FIFO between a check and the open is still caught.
    """
    # O_BINARY: Windows opens descriptors in text mode (CRLF translated) without it.
    flags = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
             | getattr(os, "O_BINARY", 0))
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular(errno.EINVAL, f"{kind(st.st_mode)}, not a regular file")
        if limit is not None and st.st_size > limit:
            raise NotRegular(errno.EFBIG, f"{st.st_size:,} bytes, more than {limit:,}")
        if check is not None:
            check(st)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read() if limit is None else fh.read(limit + 1)
    finally:
        os.close(fd)
    if limit is not None and len(data) > limit:
        raise NotRegular(errno.EFBIG, f"more than {limit:,} bytes")
    return data


def rewrite_locked(path: str | os.PathLike, change: Callable[[bytes], bytes],
                   read: Callable[[Path], bytes]) -> None:
    """Replace the file at ``path`` by ``change(its bytes)`` (``b""`` when there is none yet),
    read with ``read``, under its lock (:func:`locked`) and atomically (:func:`write_atomic`):
    two writers queue instead of losing a line, and a reader or a crash sees the old file or
    the new one. The target is checked before and again under the lock (:func:`check_target`);
    a folder that does not exist is never made.

    Raises
    ------
    UnsafeTarget, OSError
        As :func:`check_target`, the read and the write; FileNotFoundError without the folder.
    """
    target = check_target(path)
    if not target.parent.is_dir():
        # The lock would create the folder: a user file is never written where none is.
        raise FileNotFoundError(errno.ENOENT, "No such file or directory")
    with locked(target):
        target = check_target(path)
        old = read(target) if target.exists() else b""
        write_atomic(target, change(old))


MODE_BITS_MEAN_ACCESS = sys.platform != "win32"
"""Whether a file's mode bits say who may read it: on Windows every file reports 0o666 and
access is its ACLs (a file in the user's profile is the user's alone), so a secret's file mode
is checked on Linux and macOS only."""


def read_private_text(path: Path, limit: int, *, label: str, kind: str, holds: str,
                      error: type[Exception]) -> str:
    """The UTF-8 text of a file that holds a secret (the SMTP password, an API key).

    It is opened without blocking and checked on the open file (a FIFO swapped in after a
    check would block the run), never read past ``limit`` bytes, and refused, as ``error``
    naming the file and ``label`` ("the SMTP password file"), when others may read or change
    it, when it is not a regular file or larger than ``kind`` ("a password file") can be (it
    holds ``holds``, "the password", alone), cannot be read, or is not UTF-8.
    """
    def private(st: os.stat_result) -> None:
        if MODE_BITS_MEAN_ACCESS and st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise error(f"{path}: {label} may be read or changed by others; run chmod 600 "
                        f"{path}")

    try:
        return read_regular(path, limit, check=private).decode("utf-8")
    except NotRegular as exc:
        what = f"larger than {kind} can be" if exc.errno == errno.EFBIG else "not a regular file"
        raise error(f"{path}: {label} is {what} ({exc.strerror}); it holds {holds} "
                    "alone") from None
    except OSError as exc:
        raise error(f"{path}: cannot read {label} ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise error(f"{path}: {label} is not UTF-8 text") from None
