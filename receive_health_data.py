#!/usr/bin/env python3
"""Merge Apple Health data into data/health.json: a Shortcut / Health Auto Export payload, or the
whole history from the Health app's export (export.zip or export.xml)."""

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

from coros_dashboard.cli import default_data_dir, run_cli
from coros_dashboard.datafiles import HEALTH, check_before_save, load_records, record_problems
from coros_dashboard.errors import DashboardError
from coros_dashboard.health import MAX_BYTES, PayloadError, health_records, parse_document
from coros_dashboard.health_export import fill_missing, read_export
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


def is_health_export(source: str | None) -> bool:
    """export.zip / export.xml from the Health app, told apart from a JSON payload by its first bytes."""
    if not source or source == "-":
        return False
    try:
        with open(source, "rb") as fh:
            head = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    return head.startswith((b"PK\x03\x04", b"<"))


def terminal_progress():
    """A byte progress bar on a terminal, nothing in a log."""
    if not sys.stderr.isatty():
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(unit="B", unit_scale=True, desc="export.xml", file=sys.stderr, leave=False)

    def update(done, size):
        bar.total = size
        bar.update(done - bar.n)

    return update, bar.close


def import_export(args, path: Path, stored: list) -> int:
    today = dt.datetime.now(dt.UTC).date()
    started = time.monotonic()
    progress, close = terminal_progress()
    try:
        imported, skipped = read_export(Path(args.payload), today, progress)
    finally:
        close()
    records, left_out = [], 0
    for record in imported:
        bad = {field for field, _ in record_problems(HEALTH, record)}
        left_out += len(bad)
        records.append({k: v for k, v in record.items() if k not in bad})
    incoming = fill_missing(stored, records)
    days, added, updated = merge_by_date(stored, incoming)
    check_before_save(HEALTH, days)
    if not args.dry_run:
        save_json_files({path: HEALTH.document(days)})
    verb = "would be" if args.dry_run else "were"
    notes = "".join([f"; {left_out} value(s) outside plausible ranges left out" if left_out else "",
                     f"; {skipped} record(s) without their attributes skipped" if skipped else ""])
    print(f"receive_health_data: export read in {time.monotonic() - started:.1f} s, {len(imported)} day(s) in it: "
          f"{len(added)} added, {len(updated)} filled in ({verb} merged; values already stored are kept), "
          f"{len(days)} stored in {path}{notes}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("payload", nargs="?", help="payload or event JSON file, '-' for stdin, or the Health "
                        "app's export.zip / export.xml (default: $GITHUB_EVENT_PATH)")
    parser.add_argument("--data-dir", default=default_data_dir(),
                        help="where the JSON files live (default: $DATA_DIR or data)")
    parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    args = parser.parse_args(argv)
    path = HEALTH.path(args.data_dir)
    stored = load_records(HEALTH, args.data_dir)
    if is_health_export(args.payload):
        return import_export(args, path, stored)
    today = dt.datetime.now(dt.UTC).date()
    try:
        records = health_records(parse_document(read_input(args.payload)), today)
    except PayloadError as exc:
        raise PayloadError([*exc.problems, f"payload rejected; {path} is unchanged"]) from None
    if not records:
        print(f"receive_health_data: nothing to merge (the payload holds no data); {path} is unchanged")
        return 0
    days, added, updated = merge_by_date(stored, records)
    check_before_save(HEALTH, days)
    if not args.dry_run:
        save_json_files({path: HEALTH.document(days)})
    verb = "would be" if args.dry_run else "were"
    print(f"receive_health_data: {len(added)} day(s) added, {len(updated)} updated ({verb} merged), "
          f"{len(days)} stored in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(run_cli(main))
