"""Progress for evaluate_many and evaluate_frame (progress=...): a tqdm bar, a plain line, or a callback.

The compiled module calls the reporter after each batch of cases (512) with the number done so far,
with the GIL held, so a reporter may be any Python callable; what it raises stops the evaluation.
"""

from __future__ import annotations

import sys
import time
from typing import Any, Callable, Optional

#: progress= may be a callable taking (done, total); total is None when the input has no len().
ProgressCallback = Callable[[int, Optional[int]], None]


class _Plain:
    """One line on standard error, rewritten at most every half second, ended by a newline."""

    def __init__(self, total: Optional[int], stream: Any) -> None:
        self.total, self.stream = total, stream
        self.start = self.last = time.monotonic()
        self.done = 0

    def __call__(self, done: int) -> None:
        self.done = done
        now = time.monotonic()
        if now - self.last >= 0.5 or (self.total is not None and done >= self.total):
            self.last = now
            self._write()

    def _write(self) -> None:
        elapsed = max(time.monotonic() - self.start, 1e-9)
        share = f" of {self.total} ({100 * self.done // max(self.total, 1)}%)" if self.total is not None else ""
        self.stream.write(f"\rbia: {self.done}{share} cases, {self.done / elapsed:,.0f}/s ")
        self.stream.flush()

    def close(self) -> None:
        self._write()
        self.stream.write("\n")
        self.stream.flush()


class _Tqdm:
    def __init__(self, tqdm: Any, total: Optional[int]) -> None:
        self.bar = tqdm(total=total, unit="case", desc="bia")

    def __call__(self, done: int) -> None:
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        self.bar.close()


class _Callback:
    def __init__(self, callback: ProgressCallback, total: Optional[int]) -> None:
        self.callback, self.total = callback, total

    def __call__(self, done: int) -> None:
        self.callback(done, self.total)

    def close(self) -> None:
        pass


def reporter(progress: Any, total: Optional[int], stream: Any = None) -> Any:
    """The reporter for progress=: None for False (or True when standard error is not a terminal)."""
    if progress is None or progress is False:
        return None
    if callable(progress):
        return _Callback(progress, total)
    if progress is not True and progress not in ("tqdm", "plain"):
        raise ValueError("progress must be True, False, 'tqdm', 'plain' or a callable(done, total)")
    stream = sys.stderr if stream is None else stream
    if progress is True and not (hasattr(stream, "isatty") and stream.isatty()):
        return None  # a log file or a pipe: no bar unless asked for by name
    if progress in (True, "tqdm"):
        try:
            from tqdm.auto import tqdm  # type: ignore[import-untyped, import-not-found, unused-ignore]
        except ImportError:
            if progress == "tqdm":
                raise
        else:
            return _Tqdm(tqdm, total)
    return _Plain(total, stream)
