#!/usr/bin/env python3
"""Build the static dashboard in site/ from the JSON files in data/.

The command lives in coros_dashboard/site/build_cli.py (installed, it is also a console script)."""

import sys

from coros_dashboard.cli import run_cli
from coros_dashboard.site.build_cli import main

if __name__ == "__main__":
    sys.exit(run_cli(main))
