#!/usr/bin/env python3
"""Fetch your COROS Training Hub history into data/ (incremental; --full re-reads everything)."""

import argparse
import datetime as dt
import os
import sys

from coros_dashboard.cli import default_data_dir, run_cli
from coros_dashboard.coros_client import CorosClient, config_from_env
from coros_dashboard.sync import sync_data_dir

MAX_WARNINGS = 20


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {text!r}") from None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__,
        epilog="Credentials come from COROS_EMAIL and COROS_PASSWORD (or COROS_PASSWORD_MD5); "
        "COROS_REGION=global|eu|cn picks the API host, COROS_API_BASE overrides it.",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--full", action="store_true", default=os.environ.get("COROS_FULL_SYNC") == "true",
                      help="re-read the whole history (or COROS_FULL_SYNC=true)")
    mode.add_argument("--since", type=parse_date, metavar="YYYY-MM-DD",
                      help="re-read activities and daily metrics from this date on")
    parser.add_argument("--data-dir", default=default_data_dir(),
                        help="where the JSON files live (default: $DATA_DIR or data)")
    parser.add_argument("--today", type=parse_date, metavar="YYYY-MM-DD",
                        help="the date to take as today: no day after the next is accepted (default: the clock)")
    args = parser.parse_args(argv)
    client = CorosClient(config_from_env())
    result = sync_data_dir(client, args.data_dir, full=args.full, since=args.since, today=args.today)
    for line in result.warnings[:MAX_WARNINGS]:
        print(f"fetch_coros.py: warning: {line}", file=sys.stderr)
    if len(result.warnings) > MAX_WARNINGS:
        print(f"fetch_coros.py: warning: and {len(result.warnings) - MAX_WARNINGS} more", file=sys.stderr)
    print(f"fetch_coros: {result.summary()}", file=sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
