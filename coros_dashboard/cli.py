"""What every command-line entry point shares: one error line instead of a traceback."""

import os
import sys
from collections.abc import Callable
from pathlib import Path

from coros_dashboard import settings
from coros_dashboard.errors import DashboardError


def run_cli(main: Callable[[list[str] | None], int | None], argv: list[str] | None = None) -> int:
    """Run `main(argv)`; an expected failure becomes `prog: error: ...` lines and exit status 1.

    An unexpected exception is a bug, but its message or traceback may hold a token, a request
    header or a payload, and a public Actions log would keep it: it is reported by type and place
    only. Every write is atomic, so nothing was half-written either way.
    """
    prog = os.path.basename(sys.argv[0]) or "coros-dashboard"
    debug = False
    try:
        debug = settings.COROS_DASHBOARD_DEBUG.read()
        return main(argv) or 0
    except DashboardError as exc:
        for line in str(exc).splitlines():
            print(f"{prog}: error: {line}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{prog}: interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence, see the docstring
        if debug:
            raise
        print(
            f"{prog}: error: unexpected {type(exc).__name__} at {_where(exc)}; nothing was "
            "written. "
            "Please report it (COROS_DASHBOARD_DEBUG=1 shows the details)",
            file=sys.stderr,
        )
        return 1


def _where(exc: BaseException) -> str:
    """file:line of the innermost frame: enough to report, and unlike the message it holds no
    data."""
    tb = exc.__traceback__
    while tb and tb.tb_next:
        tb = tb.tb_next
    return f"{os.path.basename(tb.tb_frame.f_code.co_filename)}:{tb.tb_lineno}" if tb else "?"


def data_dir(option: str | None) -> Path:
    """--data-dir, else DATA_DIR, else data/."""
    return Path(option) if option else settings.DATA_DIR.read()
