"""The health stage: one payload or one Health app export merged into data/health.json by date."""

import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path

from coros_dashboard import settings
from coros_dashboard.apple_health.export import export_kind, fill_missing, read_export
from coros_dashboard.apple_health.payload import (
    MAX_BYTES,
    PayloadError,
    health_records,
    parse_document,
)
from coros_dashboard.errors import DashboardError, Problems
from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.store.datafiles import HEALTH, check_before_save, load_records, record_problems
from coros_dashboard.store.records import DateMerge, merge_by_date
from coros_dashboard.store.storage import save_json_files

Progress = Callable[[int, int], None]
MAX_PROBLEMS_SHOWN = 50  # a payload with thousands of bad values says how many, not each


def read_input(source: str | None) -> bytes:
    """The payload bytes from a file, stdin ('-'), or the GitHub event file."""
    source = source or (str(path) if (path := settings.GITHUB_EVENT_PATH.read()) else None)
    if not source:
        raise DashboardError(
            "no input: give a payload file, '-' for stdin, or run in GitHub Actions "
            "(GITHUB_EVENT_PATH)"
        )
    if source == "-":
        return sys.stdin.buffer.read(MAX_BYTES + 1)
    try:
        with open(source, "rb") as fh:
            return fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise DashboardError(f"cannot read {source}: {exc.strerror}") from None


def merge_and_save(
    stored: list[JsonObject], incoming: list[JsonObject], path: Path, dry_run: bool
) -> DateMerge:
    """Merge by date, check the result against the declared format, write it atomically."""
    merged = merge_by_date(stored, incoming)
    check_before_save(HEALTH, merged.records)
    if not dry_run:
        save_json_files({path: HEALTH.document(merged.records)})
    return merged


def receive_payload(source: str | None, data_dir: Path, dry_run: bool, today: dt.date) -> str:
    """A Shortcut / Health Auto Export payload (or the event holding one) → the summary line."""
    path = HEALTH.path(data_dir)
    stored = load_records(HEALTH, data_dir)
    try:
        records = health_records(parse_document(read_input(source)), today)
    except PayloadError as exc:
        shown = Problems(exc.problems).shown(MAX_PROBLEMS_SHOWN)
        raise PayloadError([*shown, f"payload rejected; {path} is unchanged"]) from None
    if not records:
        return f"nothing to merge (the payload holds no data); {path} is unchanged"
    merged = merge_and_save(stored, records, path, dry_run)
    verb = "would be" if dry_run else "were"
    return (
        f"{len(merged.added)} day(s) added, {len(merged.updated)} updated ({verb} merged), "
        f"{len(merged.records)} stored in {path}"
    )


def receive_export(
    source: Path, data_dir: Path, dry_run: bool, today: dt.date, progress: Progress | None
) -> str:
    """The Health app's export → the summary line; days already stored keep their values."""
    path = HEALTH.path(data_dir)
    stored = load_records(HEALTH, data_dir)
    started = time.monotonic()
    read = read_export(source, today, progress)
    records, left_out = [], 0
    for record in read.days:
        bad = {field for field, _ in record_problems(HEALTH, record)}
        left_out += len(bad)
        records.append({k: v for k, v in record.items() if k not in bad})
    merged = merge_and_save(stored, fill_missing(stored, records), path, dry_run)
    verb = "would be" if dry_run else "were"
    notes = "".join(
        [
            f"; {left_out} value(s) outside plausible ranges left out" if left_out else "",
            f"; {read.skipped} record(s) with a date, value or unit that cannot be read skipped"
            if read.skipped
            else "",
            f"; {read.duplicates} duplicate record(s) counted once" if read.duplicates else "",
        ]
    )
    return (
        f"export read in {time.monotonic() - started:.1f} s, {len(read.days)} day(s) in it: "
        f"{len(merged.added)} added, {len(merged.updated)} filled in ({verb} merged; values "
        f"already stored are kept), {len(merged.records)} stored in {path}{notes}"
    )


def receive(
    source: str | None, data_dir: Path, dry_run: bool, progress: Progress | None = None
) -> str:
    """A payload or an export, told apart by its first bytes."""
    today = dt.datetime.now(dt.UTC).date()
    if source and source != "-" and export_kind(Path(source)):
        return receive_export(Path(source), data_dir, dry_run, today, progress)
    return receive_payload(source, data_dir, dry_run, today)
