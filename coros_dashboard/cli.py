"""What every command-line entry point shares: one error line instead of a traceback."""

import os
import sys
from collections.abc import Callable
from pathlib import Path

from coros_dashboard import report, settings
from coros_dashboard.errors import DashboardError, where


def run_cli(main: Callable[[list[str] | None], int | None], argv: list[str] | None = None) -> int:
    """Run `main(argv)`; an expected failure becomes `prog: error: ...` lines and exit status 1,
    and on GitHub Actions every line also goes to the job summary (see `report`).

    An unexpected exception is a bug, but its message or traceback may hold a token, a request
    header or a payload, and a public Actions log would keep it: it is reported by type and place
    only. Every write is atomic, so nothing was half-written either way.
    """
    prog = os.path.basename(sys.argv[0]) or "coros-dashboard"
    out = report.start(prog)
    debug, status = False, 1
    try:
        debug = settings.COROS_DASHBOARD_DEBUG.read()
        report.read_settings(out)
        status = main(argv) or 0
    except DashboardError as exc:
        for line in str(exc).splitlines():
            out.error(line)
    except KeyboardInterrupt:
        print(f"{prog}: interrupted; nothing was written", file=sys.stderr)
        status = 130
    except Exception as exc:  # the last line of defence, see the docstring
        if debug:
            raise
        out.error(
            f"unexpected {type(exc).__name__} at {where(exc)}; nothing was written. "
            "Please report it (COROS_DASHBOARD_DEBUG=1 shows the details)"
        )
    try:
        out.publish(status)
    except OSError as exc:  # the summary is a courtesy: never the run's result
        print(f"{prog}: warning: the job summary was not written ({exc})", file=sys.stderr)
    return status


def data_dir(option: str | None) -> Path:
    """--data-dir, else DATA_DIR, else data/."""
    return folder_option(option, "--data-dir", settings.DATA_DIR)


def folder_option(option: str | None, flag: str, setting: settings.Setting[Path]) -> Path:
    """A directory named on the command line, checked as its setting is; else the setting."""
    if not option:
        return setting.read()
    try:
        return settings.folder(option)
    except ValueError as exc:
        raise DashboardError(f"{flag} must be {exc}") from None
