"""The one exception type for failures a user can act on, and the one list of what a run left
out."""

import os
from collections.abc import Iterable, Iterator


class DashboardError(Exception):
    """An expected failure: the CLI prints its message as one line and exits non-zero."""


def quote(value: object, limit: int = 60) -> str:
    """A value for an error line: its repr, cut to a readable length (a 4 MB string is never
    echoed)."""
    text = (
        repr(value)
        if not isinstance(value, str) or len(value) <= limit * 4
        else repr(value[: limit * 4])
    )
    return text if len(text) <= limit else text[:limit] + "…"


def where(exc: BaseException) -> str:
    """file:line of the innermost frame: enough to report a bug, and unlike the message it holds
    no data."""
    tb = exc.__traceback__
    while tb and tb.tb_next:
        tb = tb.tb_next
    return f"{os.path.basename(tb.tb_frame.f_code.co_filename)}:{tb.tb_lineno}" if tb else "?"


class Problems:
    """What a run found wrong in what it read and left out — one sentence each, in the order
    found. The readers that check values add to it; the CLI shows it (capped) or, for a payload
    that must be whole, refuses with it. Never raised itself."""

    def __init__(self, lines: Iterable[str] = ()) -> None:
        self._lines = list(lines)

    def add(self, line: str) -> None:
        self._lines.append(line)

    def extend(self, lines: Iterable[str]) -> None:
        self._lines.extend(lines)

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, index: int) -> str:
        return self._lines[index]

    def shown(self, limit: int) -> list[str]:
        """The first `limit` sentences and, when there were more, how many more."""
        more = len(self._lines) - limit
        return self._lines[:limit] + ([f"and {more} more"] if more > 0 else [])
