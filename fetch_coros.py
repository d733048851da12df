#!/usr/bin/env python3
"""Fetch your COROS Training Hub history into data/ (incremental; --full re-reads everything)."""

import argparse
import datetime as dt
import os
import sys

from coros_dashboard.cli import default_data_dir, run_cli
from coros_dashboard.coros_client import CorosClient, config_from_env
from coros_dashboard.details import DEFAULT_BUDGET, privacy_from_env, remask_stored, sync_details
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
    parser.add_argument("--detail-budget", type=int, metavar="N",
                        default=int(os.environ.get("COROS_DETAIL_BUDGET") or DEFAULT_BUDGET),
                        help=f"fetch at most N activity details this run (default {DEFAULT_BUDGET}, "
                             "or COROS_DETAIL_BUDGET; 0 turns details off)")
    parser.add_argument("--today", type=parse_date, metavar="YYYY-MM-DD",
                        help="the date to take as today: no day after the next is accepted (default: the clock)")
    args = parser.parse_args(argv)
    if args.detail_budget < 0:
        parser.error("--detail-budget must be 0 or more")
    privacy = privacy_from_env()
    client = CorosClient(config_from_env())
    result = sync_data_dir(client, args.data_dir, full=args.full, since=args.since, today=args.today)
    warnings = list(result.warnings)
    # after the sync succeeded (a failed run changes nothing): a zone added since reaches the routes stored before it
    remasked = remask_stored(args.data_dir, privacy, warnings)
    for line in warnings[:MAX_WARNINGS]:
        print(f"fetch_coros.py: warning: {line}", file=sys.stderr)
    if len(warnings) > MAX_WARNINGS:
        print(f"fetch_coros.py: warning: and {len(warnings) - MAX_WARNINGS} more", file=sys.stderr)
    print(f"fetch_coros: {result.summary()}", file=sys.stdout)
    if remasked:
        print(f"fetch_coros: privacy: {remasked} stored route(s) masked again with the current zones")
    if args.detail_budget:  # after the summary is saved: a detail never costs the run its summary
        details = sync_details(client, args.data_dir, result.records, args.detail_budget, privacy)
        print(f"fetch_coros: {details.summary(args.detail_budget)}", file=sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
