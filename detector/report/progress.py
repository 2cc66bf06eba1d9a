"""Progress of a report run on stderr: a bar on a terminal, plain lines elsewhere.

On a terminal, a tqdm bar with the total and the time left when the total is
known. When stderr is not a terminal (a log file, CI, ``nohup``), one plain
line every ``interval`` seconds, e.g. ``detector: report: 120/2,000 documents
(6%), 4.1 docs/s, about 7m 38s left, 3 already done``; a bar's carriage
returns would only garble a log.

Documents found already done (or duplicates) come off the total rather than
counting as progress, so the rate and the time left are those of the work.
"""

from __future__ import annotations

import sys
import time
from typing import IO, Any


class Progress:
    """``mode`` "bar", "lines" or "off"; ``total`` None when unknown."""

    def __init__(
        self,
        mode: str,
        total: int | None,
        *,
        interval: float = 10.0,
        stream: IO[str] | None = None,
    ) -> None:
        self.mode = mode
        self.total = total
        self.done = 0
        self.done_before = 0
        self.interval = interval
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.last_line = self.started
        self.bar: Any = None
        if mode == "bar":
            from tqdm import tqdm

            self.bar = tqdm(desc="report", unit="doc", total=total, file=self.stream)

    @classmethod
    def choose(cls, progress: bool | None, total: int | None, interval: float) -> Progress:
        """A bar when ``progress`` is True, or None and stderr is a terminal;
        plain lines when None and it is not; nothing when False."""
        if progress is False:
            return cls("off", total)
        isatty = getattr(sys.stderr, "isatty", lambda: False)()
        return cls("bar" if progress or isatty else "lines", total, interval=interval)

    def passed_over(self, already_done: bool = True) -> None:
        """A document already done, or a duplicate: less to do, not progress."""
        self.done_before += already_done
        if self.total is not None:
            self.total = max(self.done, self.total - 1)
        if self.bar is not None:
            if self.bar.total is not None:
                self.bar.total = self.total
            self.bar.set_postfix(done_before=self.done_before, refresh=False)

    def advance(self) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update()
        elif self.mode == "lines":
            now = time.monotonic()
            if now - self.last_line >= self.interval:
                self.last_line = now
                print(self.line(now), file=self.stream, flush=True)

    def line(self, now: float | None = None) -> str:
        """The plain progress line, as of ``now``."""
        elapsed = (now if now is not None else time.monotonic()) - self.started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        if self.total:
            text = f"{self.done:,}/{self.total:,} documents ({self.done / self.total:.0%})"
        else:
            text = f"{self.done:,} documents"
        text += f", {rate:.1f} docs/s"
        if self.total and rate > 0:
            text += f", about {_duration(max(0, self.total - self.done) / rate)} left"
        if self.done_before:
            text += f", {self.done_before:,} already done"
        return f"detector: report: {text}"

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {seconds:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"
