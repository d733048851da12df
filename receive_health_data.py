#!/usr/bin/env python3
"""Merge an Apple Health payload (iOS Shortcut format v1 or Health Auto Export) into data/health.json."""

import argparse
import datetime as dt
import os
import sys

from coros_dashboard.cli import default_data_dir, run_cli
from coros_dashboard.datafiles import HEALTH, load_records
from coros_dashboard.errors import DashboardError
from coros_dashboard.health import MAX_BYTES, PayloadError, health_records, parse_document
from coros_dashboard.records import merge_by_date
from coros_dashboard.storage import save_json_files


def read_input(source: str | None) -> bytes:
    """The payload bytes from a file, stdin ('-'), or the GitHub event file."""
    source = source or os.environ.get("GITHUB_EVENT_PATH")
    if not source:
        raise DashboardError("no input: give a payload file, '-' for stdin, or run in GitHub Actions "
                             "(GITHUB_EVENT_PATH)")
    if source == "-":
        return sys.stdin.buffer.read(MAX_BYTES + 1)
    try:
        with open(source, "rb") as fh:
            return fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise DashboardError(f"cannot read {source}: {exc.strerror}") from None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("payload", nargs="?", help="payload or event JSON file, '-' for stdin "
                        "(default: $GITHUB_EVENT_PATH)")
    parser.add_argument("--data-dir", default=default_data_dir(),
                        help="where the JSON files live (default: $DATA_DIR or data)")
    parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    args = parser.parse_args(argv)
    path = HEALTH.path(args.data_dir)
    stored = load_records(HEALTH, args.data_dir)
    today = dt.datetime.now(dt.UTC).date()
    try:
        records = health_records(parse_document(read_input(args.payload)), today)
    except PayloadError as exc:
        raise PayloadError([*exc.problems, f"payload rejected; {path} is unchanged"]) from None
    if not records:
        print(f"receive_health_data: nothing to merge (the payload holds no data); {path} is unchanged")
        return 0
    days, added, updated = merge_by_date(stored, records)
    if not args.dry_run:
        save_json_files({path: HEALTH.document(days)})
    verb = "would be" if args.dry_run else "were"
    print(f"receive_health_data: {len(added)} day(s) added, {len(updated)} updated ({verb} merged), "
          f"{len(days)} stored in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
