#!/usr/bin/env python3
"""Merge Apple Health data into data/health.json: a Shortcut / Health Auto Export payload, or the
Health app's export.

The command lives in coros_dashboard/apple_health/receive_cli.py (installed, it is also a console
script)."""

import sys

from coros_dashboard.apple_health.receive_cli import main
from coros_dashboard.cli import run_cli

if __name__ == "__main__":
    sys.exit(run_cli(main))
