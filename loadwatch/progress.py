"""Progress bars for long jobs, on stderr, only when stderr is a terminal.

Every command that can take more than a second or two (an import of thousands of
files, a report on a cold cache, a squad, a large Apple Health export) gets its
bars from :func:`bars`: one factory, one look. The library's long loops take a
``progress`` callable and know nothing of terminals:

- :func:`loadwatch.importers.scan.import_paths`: ``progress(label, total, unit)``
  around a folder's files (``unit="files"``), a Strava export's rows and an Apple
  Health ``export.xml`` (``unit="bytes"``);
- :func:`loadwatch.squad.run`: ``progress(total)`` around the athletes
  (:meth:`Bars.athletes`).

Each call returns a context manager whose value has ``update(n)``. Bars opened
inside one another (an export inside a folder) share one live display, one line
each. A bar shows its label, the bar, the count done of the total, the rate and
the time left; it is cleared when its job ends, so what stays on the terminal is
the command's own output. Nothing at all is written when stderr is a pipe or a
file (a cron log, ``2>log``), or with ``--quiet``.

The drawing is rich's (:class:`rich.progress.Progress`), imported only when a
bar is shown.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Protocol


class Bar(Protocol):
    """What a ``progress(...)`` context manager yields."""

    def update(self, n: int) -> None:
        """Count ``n`` more units done."""


class _Task:
    def __init__(self, progress, task_id):
        self._progress, self._id = progress, task_id

    def update(self, n: int) -> None:
        self._progress.advance(self._id, n)


def is_terminal(stream: IO | None) -> bool:
    """Whether ``stream`` is an interactive terminal (a closed or odd stream is not)."""
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


class Bars:
    """A factory of progress bars on one stream, nested bars in one live display.

    Call it as ``with bars(label, total, unit) as bar: bar.update(1)``.
    """

    def __init__(self, stream: IO):
        self._stream = stream
        self._progress = None
        self._open = 0

    def _start(self):
        # Start-up: rich only once a bar is drawn (most commands on a pipe draw none).
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        # Never redirect stdout: with stdout piped and stderr a terminal, rich would
        # otherwise route the report itself through the terminal.
        return Progress(TextColumn("{task.description}"), BarColumn(), *_columns(),
                        TimeRemainingColumn(),
                        console=Console(file=self._stream), transient=True,
                        redirect_stdout=False, redirect_stderr=False)

    @contextlib.contextmanager
    def __call__(self, label: str, total: int, unit: str = "files") -> Iterator[Bar]:
        if self._progress is None:
            self._progress = self._start()
            self._progress.start()
        task = self._progress.add_task(label, total=max(total, 0), unit=unit)
        self._open += 1
        try:
            yield _Task(self._progress, task)
        finally:
            # Drawn once done, so a job shorter than a refresh still shows its count.
            self._progress.refresh()
            self._progress.remove_task(task)
            self._open -= 1
            if self._open == 0:
                self._progress.stop()
                self._progress = None

    def athletes(self, total: int):
        """The squad's bar (:func:`loadwatch.squad.run` calls ``progress(total)``)."""
        return self("Athletes", total, "athletes")


def bars(enabled: bool = True, stream: IO | None = None) -> Bars | None:
    """The progress factory for a command, or None to show nothing.

    Parameters
    ----------
    enabled : bool, default True
        False for ``--quiet``.
    stream : file, optional
        Where the bars go (default: stderr, looked up at call time).

    Returns
    -------
    Bars or None
        None when ``enabled`` is False or ``stream`` is not a terminal: the library's
        loops then run without any bar.
    """
    stream = sys.stderr if stream is None else stream
    if not enabled or not is_terminal(stream):
        return None
    return Bars(stream)


def _columns() -> list:
    """The count and rate columns (rich's own show a count without its unit, bytes only)."""
    # Start-up: rich only once a bar is drawn.
    from rich.filesize import decimal
    from rich.progress import ProgressColumn
    from rich.text import Text

    def human(value: float, unit: str) -> str:
        return decimal(int(value)) if unit == "bytes" else f"{value:,.0f}"

    class Count(ProgressColumn):
        """``1,234/15,000 files``, or ``12.3 MB/250.0 MB``."""

        def render(self, task):
            unit = task.fields.get("unit", "")
            text = f"{human(task.completed, unit)}/{human(task.total or 0, unit)}"
            return Text(text if unit == "bytes" else f"{text} {unit}")

    class Rate(ProgressColumn):
        """``850 files/s``, or ``25.1 MB/s``; ``-`` until there is a rate."""

        def render(self, task):
            unit = task.fields.get("unit", "")
            per = "/s" if unit == "bytes" else f" {unit}/s"
            speed = task.finished_speed or task.speed
            return Text(f"-{per}" if speed is None else human(speed, unit) + per)

    return [Count(), Rate()]


def counted(progress: Callable | None, total: int, items: Iterable) -> list:
    """``items`` as a list, a bar of ``total`` (``progress(total)``, a context manager with
    ``update(n)``; None draws nothing) moved as each one comes (a squad's athletes, say)."""
    if progress is None:
        return list(items)
    out = []
    with progress(total) as bar:
        for item in items:
            out.append(item)
            bar.update(1)
    return out
