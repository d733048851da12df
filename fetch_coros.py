#!/usr/bin/env python3
"""Fetch your COROS Training Hub history into data/ (incremental; --full re-reads everything).

The command lives in coros_dashboard/coros/fetch_cli.py (installed, it is also a console script)."""

import sys

from coros_dashboard.cli import run_cli
from coros_dashboard.coros.fetch_cli import main

if __name__ == "__main__":
    sys.exit(run_cli(main))
