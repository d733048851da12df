"""Progress while paging: a bar on a terminal, one plain line per step in CI logs."""

import sys
from typing import NoReturn, Protocol, TextIO

from tqdm import tqdm


class Progress(Protocol):
    """What paging reports to: a bar, a log line, or nothing."""

    def update(self, page: int, total: int, items: int) -> None: ...

    def close(self) -> None: ...


class PageProgress:
    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.bar: tqdm[NoReturn] | None = None

    def update(self, page: int, total: int, items: int) -> None:
        if not self.stream.isatty():
            print(f"{self.label}: page {page}/{total}, {items} read", file=self.stream, flush=True)
            return
        if self.bar is None:
            self.bar = tqdm(
                total=total,
                desc=self.label,
                unit="page",
                file=self.stream,
                leave=False,
                mininterval=0,
            )
        self.bar.total = max(total, page)
        self.bar.update(page - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
