"""What every command-line entry point shares: one error line instead of a traceback."""

import os
import sys

from .errors import DashboardError


def run_cli(main, argv=None) -> int:
    """Run `main(argv)`; an expected failure becomes `prog: error: ...` lines and exit status 1."""
    prog = os.path.basename(sys.argv[0]) or "coros-dashboard"
    try:
        return main(argv) or 0
    except DashboardError as exc:
        for line in str(exc).splitlines():
            print(f"{prog}: error: {line}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{prog}: interrupted; nothing was written", file=sys.stderr)
        return 130


def default_data_dir() -> str:
    return os.environ.get("DATA_DIR") or "data"
