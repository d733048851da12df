"""Fetching from COROS and merging into data/: incremental by default, never shrinking history."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .activities import iso_to_coros_day, merge_activities, normalize_activity
from .coros_client import CorosApiError, CorosClient
from .daily import day_items, normalize_days, race_predictions, sleep_hrv_days
from .profile import normalize_profile
from .progress import PageProgress
from .records import merge_by_date
from .storage import FORMAT_VERSION, data_document, load_data_file, save_json_files

PAGE_SIZE = 100
OVERLAP_DAYS = 7  # re-read a week: late watch syncs and renamed activities
DAY_DETAIL_SPAN = 168  # COROS answers up to ~24 weeks of day detail per call


@dataclass
class SyncResult:
    new: int
    updated: int
    removed: int
    activities: int
    days_added: int
    days_updated: int
    days: int
    requests: int
    notes: tuple = ()

    def summary(self) -> str:
        line = (
            f"activities: {self.new} new, {self.updated} updated, {self.removed} removed, "
            f"{self.activities} stored; days: {self.days_added} new, {self.days_updated} updated, "
            f"{self.days} stored; {self.requests} requests"
        )
        return "; ".join([line, *self.notes])


def data_paths(data_dir) -> dict:
    data_dir = Path(data_dir)
    return {
        "activities": data_dir / "activities.json",
        "daily": data_dir / "daily.json",
        "profile": data_dir / "profile.json",
        "health": data_dir / "health.json",
    }


def sync_data_dir(client: CorosClient, data_dir, full=False, since: dt.date | None = None,
                  progress=None) -> SyncResult:
    """Fetch what changed on COROS and merge it into data_dir; all files change together or not at all."""
    paths = data_paths(data_dir)
    stored_activities = load_data_file(paths["activities"], "activities")
    stored_days = load_data_file(paths["daily"], "days")
    progress = progress or PageProgress("activities")

    account = client.get("account/query") or {}
    cutoff = activity_cutoff(stored_activities, full, since)
    fetched, covered_from, complete = fetch_activity_pages(client, cutoff, progress)
    activities, new, updated, removed = merge_activities(stored_activities, fetched, covered_from, complete)

    analysis = normalize_days(day_items(client.get("analyse/query")))
    summary = (client.get("dashboard/query") or {}).get("summaryInfo") or {}
    today = dt.date.fromisoformat(analysis[-1]["date"]) if analysis else dt.date.today()
    races = race_predictions(summary.get("runScoreList") or account.get("runScoreList"))

    start = day_detail_start(stored_days, activities, full, since, today)
    detail, notes = fetch_day_details(client, start, today) if start else ([], ())
    incoming = detail + analysis + sleep_hrv_days(summary)
    if races:
        incoming.append({"date": today.isoformat(), **races})
    days, days_added, days_updated = merge_by_date(stored_days, incoming)

    save_json_files({
        paths["activities"]: data_document("activities", activities),
        paths["daily"]: data_document("days", days),
        paths["profile"]: {"version": FORMAT_VERSION, **normalize_profile(account, races)},
    })
    return SyncResult(len(new), len(updated), len(removed), len(activities), len(days_added),
                      len(days_updated), len(days), client.requests_made, tuple(notes))


def activity_cutoff(stored: list, full: bool, since: dt.date | None) -> str | None:
    """The oldest local date this run must re-read; None means the whole history."""
    if since:
        return since.isoformat()
    if full or not stored:
        return None
    latest = dt.date.fromisoformat(max(rec["date"] for rec in stored))
    return (latest - dt.timedelta(days=OVERLAP_DAYS)).isoformat()


def fetch_activity_pages(client: CorosClient, cutoff: str | None, progress) -> tuple:
    """Page the newest-first activity list down to `cutoff`.

    Returns (records, first date covered in full or None for all, whether the listing was read
    completely enough to trust it for deletions).
    """
    records, page = {}, 1
    try:
        while True:
            data = client.get("activity/query", {"size": str(PAGE_SIZE), "pageNumber": str(page)}) or {}
            items = data.get("dataList") or []
            total_pages = int(data.get("totalPage") or 0)
            page_records = [rec for rec in map(normalize_activity, items) if rec]
            records.update((rec["id"], rec) for rec in page_records)
            progress.update(page, max(total_pages, page), len(records))
            if not items or page >= total_pages:
                complete = bool(records) and len(records) >= int(data.get("count") or 0)
                return list(records.values()), None, complete
            oldest = min((rec["date"] for rec in page_records), default=None)
            if cutoff and oldest and oldest < cutoff:
                return list(records.values()), cutoff, True
            page += 1
    finally:
        progress.close()


def day_detail_start(stored_days, activities, full, since, today) -> dt.date | None:
    """Where daily history must be backfilled from; None when the analysis window suffices."""
    if since:
        return since
    if full or not stored_days:
        first = min((rec["date"] for rec in activities), default=None)
        return dt.date.fromisoformat(first) if first else today - dt.timedelta(days=DAY_DETAIL_SPAN - 1)
    last = dt.date.fromisoformat(stored_days[-1]["date"])
    window_start = today - dt.timedelta(days=83)
    return last + dt.timedelta(days=1) if last < window_start else None


def fetch_day_details(client: CorosClient, start: dt.date, end: dt.date) -> tuple:
    """Walk day detail back from `end` to `start` in 24-week spans until COROS has no more.

    A COROS error code here is not fatal: the analysis window still covers recent days.
    """
    records = []
    while end >= start:
        span_start = max(start, end - dt.timedelta(days=DAY_DETAIL_SPAN - 1))
        params = {"startDay": iso_to_coros_day(span_start), "endDay": iso_to_coros_day(end)}
        try:
            days = normalize_days(day_items(client.get("analyse/dayDetail/query", params)))
        except CorosApiError as exc:
            return records, (f"day detail unavailable (code {exc.code}), daily history from the analysis window",)
        if not days:
            break
        records = days + records
        end = span_start - dt.timedelta(days=1)
    return records, ()
