"""Fetching from COROS and merging into data/: incremental by default, never shrinking history."""

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from coros_dashboard.coros.activities import merge_activities, normalize_activity
from coros_dashboard.coros.client import (
    ANALYSIS,
    DASHBOARD,
    DAY_DETAIL,
    MAX_PAGES,
    PAGE_SIZE,
    CorosApiError,
    CorosClient,
)
from coros_dashboard.coros.daily import (
    dashboard_today,
    normalize_days,
    race_predictions,
    sleep_hrv_days,
)
from coros_dashboard.coros.parts import Part, attempt
from coros_dashboard.coros.profile import normalize_profile
from coros_dashboard.coros.progress import PageProgress, Progress
from coros_dashboard.coros.schedule import fetch_plan
from coros_dashboard.errors import DashboardError, Problems
from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.store.datafiles import (
    ACTIVITIES,
    DAILY,
    PLAN,
    PROFILE,
    check_before_save,
    load_records,
)
from coros_dashboard.store.records import merge_by_date
from coros_dashboard.store.storage import save_json_files
from coros_dashboard.store.stored_details import StoredDetails

OVERLAP_DAYS = 7  # re-read a week: late watch syncs and renamed activities
DAY_DETAIL_SPAN = 168  # COROS answers up to ~24 weeks of day detail per call
PAGE_MARGIN = 2  # pages read past what COROS's count allows before giving up


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
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    records: list[JsonObject] = field(
        default_factory=list, repr=False
    )  # the activities as saved: details start here

    def summary(self) -> str:
        line = (
            f"activities: {self.new} new, {self.updated} updated, {self.removed} removed, "
            f"{self.activities} stored; days: {self.days_added} new, {self.days_updated} updated, "
            f"{self.days} stored; {self.requests} requests"
        )
        if self.warnings:
            line += f"; {len(self.warnings)} value(s) left out (see warnings)"
        return "; ".join([line, *self.notes])


@dataclass
class Listing:
    """Activities read from the newest-first list, and whether they can be trusted for deletions."""

    records: dict[str, JsonObject]  # id → record
    covered_from: str | None  # first local date read in full; None: the whole list
    complete: bool
    reason: str = ""  # why not complete


class QuietProgress:
    def update(self, page: int, total: int, items: int) -> None:
        pass

    def close(self) -> None:
        pass


def sync_data_dir(
    client: CorosClient,
    data_dir: str | Path,
    full: bool = False,
    since: dt.date | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
    plan_seconds: float = math.inf,
) -> SyncResult:
    """Fetch what changed on COROS and merge it into data_dir; all files change together or not at
    all, and an optional part (see `parts`) that fails is kept as it was.

    `today` is the clock: no day after tomorrow is accepted from COROS. The training plan's
    requests end within `plan_seconds`.
    """
    today = today or dt.date.today()
    latest = today + dt.timedelta(days=1)
    warnings = Problems()
    stored_activities = load_records(ACTIVITIES, data_dir)
    stored_days = load_records(DAILY, data_dir)
    stored_plan = load_records(PLAN, data_dir)

    account = client.fetch_account()
    cutoff = activity_cutoff(stored_activities, full, since)
    listing = fetch_listing(
        client, latest, warnings, progress or PageProgress("activities"), cutoff=cutoff
    )
    deleted, rechecked, notes = confirm_deletions(
        client, stored_activities, listing, latest, warnings
    )
    fetched = [*listing.records.values(), *rechecked]
    activities, new, updated, removed = merge_activities(stored_activities, fetched, deleted)

    plan_from = None
    if full or since or not stored_activities:  # a first run is a full one
        firsts = [rec["date"] for rec in activities]
        plan_from = since or (dt.date.fromisoformat(min(firsts)) if firsts else today)

    def read_plan() -> list[JsonObject]:
        within = f"the training plan's {plan_seconds:g} s (COROS_PLAN_DEADLINE)"
        with client.phase(plan_seconds, within):
            plan = fetch_plan(client, stored_plan, today, plan_from, warnings)
        check_before_save(PLAN, plan)
        return plan

    plan = attempt(Part.PLAN, read_plan, stored_plan, warnings)
    if plan:
        notes = [*notes, f"plan: {len(plan)} planned workouts stored"]

    analysis = normalize_days(client.fetch_analysis_days(), ANALYSIS, latest, warnings)
    last_day = dt.date.fromisoformat(max(rec["date"] for rec in analysis)) if analysis else today

    def read_dashboard() -> tuple[JsonObject, list[JsonObject], JsonObject]:
        summary = client.fetch_dashboard_summary()
        nights = sleep_hrv_days(summary, DASHBOARD, latest, warnings)
        return summary, nights, dashboard_today(summary, DASHBOARD, warnings)

    nothing: tuple[JsonObject, list[JsonObject], JsonObject] = ({}, [], {})
    summary, nights, current = attempt(Part.DASHBOARD, read_dashboard, nothing, warnings)
    races = race_predictions(summary.get("runScoreList") or _scores(account), warnings)

    start = day_detail_start(stored_days, activities, full, since, last_day)
    detail: list[JsonObject] = []
    if start:
        detail, detail_notes = fetch_day_details(client, start, last_day, latest, warnings)
        notes += detail_notes
    incoming = detail + analysis + nights
    if races or current:  # today's values only: stored each fetch, they become a history
        incoming.append({"date": last_day.isoformat(), **current, **races})
    days, days_added, days_updated = merge_by_date(stored_days, incoming)

    check_before_save(ACTIVITIES, activities)
    check_before_save(DAILY, days)
    plan_file = PLAN.path(data_dir)
    plans = {plan_file: PLAN.document(plan)} if plan or plan_file.exists() else {}
    kept = {rec["id"] for rec in activities}
    gone = [path for ident, path in StoredDetails(data_dir).paths.items() if ident not in kept]
    save_json_files(
        {
            ACTIVITIES.path(data_dir): ACTIVITIES.document(activities),
            DAILY.path(data_dir): DAILY.document(days),
            PROFILE.path(data_dir): PROFILE.document(normalize_profile(account, races, warnings)),
            **plans,  # an account without a plan gets no plan file
        },
        remove=gone,  # a deleted activity leaves no route behind
    )
    return SyncResult(
        len(new),
        len(updated),
        len(removed),
        len(activities),
        len(days_added),
        len(days_updated),
        len(days),
        client.requests_made,
        tuple(notes),
        tuple(warnings),
        activities,
    )


def _scores(account: JsonObject) -> list[JsonObject]:
    scores = account.get("runScoreList")
    return [s for s in scores if isinstance(s, dict)] if isinstance(scores, list) else []


def activity_cutoff(stored: list[JsonObject], full: bool, since: dt.date | None) -> str | None:
    """The oldest local date this run must re-read; None means the whole history."""
    if since:
        return since.isoformat()
    if full or not stored:
        return None
    latest = dt.date.fromisoformat(max(rec["date"] for rec in stored))
    return (latest - dt.timedelta(days=OVERLAP_DAYS)).isoformat()


def fetch_listing(
    client: CorosClient,
    latest: dt.date,
    warnings: Problems,
    progress: Progress,
    cutoff: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Listing:
    """Page the newest-first activity list (of days start…end, if given) down to `cutoff` or its
    end.

    The listing is complete — fit to decide deletions — only when COROS gave counts on every page,
    they stayed the same while paging, every page was read and, read to its end, the distinct
    activities read are exactly as many as COROS counts. Paging never goes more than PAGE_MARGIN
    pages past what the count allows.
    """
    records: dict[str, JsonObject] = {}
    paging = Paging()
    page = 1
    try:
        while True:
            result = client.fetch_activity_page(page, start, end)
            page_records = [normalize_activity(item, latest, warnings) for item in result.items]
            paging.duplicate |= any(rec["id"] in records for rec in page_records)
            records.update((rec["id"], rec) for rec in page_records)
            paging.counts.add((result.count, result.total_pages))
            paging.read, paging.pages = len(records), page
            progress.update(page, max(result.total_pages or 0, page), len(records))
            paging.at_end = (
                not result.items
                or (result.total_pages is not None and page >= result.total_pages)
                or (result.total_pages is None and len(result.items) < PAGE_SIZE)
            )
            oldest = min((rec["date"] for rec in page_records), default=None)
            if paging.at_end or (cutoff and oldest and oldest < cutoff):
                covered = None if paging.at_end else cutoff
                reason = paging.reason()
                return Listing(records, covered, not reason, reason)
            paging.short_page |= len(result.items) < PAGE_SIZE
            page += 1
            allowed = (
                MAX_PAGES
                if result.count is None
                else math.ceil(result.count / PAGE_SIZE) + PAGE_MARGIN
            )
            if page > allowed:
                raise DashboardError(
                    f"COROS kept listing activities past page {page - 1}, more than its count of "
                    f"{result.count} allows; nothing was written, try again later"
                )
    finally:
        progress.close()


@dataclass
class Paging:
    """What paging the activity list saw, to judge whether the listing can decide deletions."""

    counts: set[tuple[int | None, int | None]] = field(
        default_factory=set
    )  # (count, pages) per page
    read: int = 0  # distinct activities read
    pages: int = 0  # pages read
    at_end: bool = False  # read to the end, not stopped at a cutoff
    short_page: bool = False  # a page before the last held fewer than a full page
    duplicate: bool = False  # an activity came twice

    def reason(self) -> str:
        """Why the listing cannot be trusted for deletions ('' when it can)."""
        if any(count is None or total is None for count, total in self.counts):
            return "COROS gave no activity count"
        if len(self.counts) > 1:
            return "the activity count changed while paging"
        ((count, total),) = self.counts
        assert count is not None and total is not None  # checked above
        if total not in (math.ceil(count / PAGE_SIZE), max(1, math.ceil(count / PAGE_SIZE))):
            return f"COROS's {total} pages do not hold its {count} activities"
        if self.duplicate or self.short_page:
            return "the list shifted while paging"
        if self.at_end and (self.read != count or self.pages < total):
            return f"{self.read} activities read of the {count} COROS counts"
        return ""


class Deletions(NamedTuple):
    deleted: set[str]  # ids confirmed deleted on COROS
    reread: list[JsonObject]  # what the second listing read
    notes: list[str]


def confirm_deletions(
    client: CorosClient,
    stored: list[JsonObject],
    listing: Listing,
    latest: dt.date,
    warnings: Problems,
) -> Deletions:
    """Which stored activities were deleted on COROS: decided on identities, never on positions.

    A stored activity in the span the listing covered, but not in it, is only a candidate; it is
    deleted when a second, complete listing of just its days does not hold it either.
    """
    covered = listing.covered_from
    candidates = [
        rec
        for rec in stored
        if rec["id"] not in listing.records and (covered is None or rec["date"] >= covered)
    ]
    if not candidates:
        return Deletions(set(), [], [])
    kept = "activity" if len(candidates) == 1 else "activities"
    keep = f"{len(candidates)} stored {kept} not listed by COROS kept"
    if not listing.complete:
        return Deletions(
            set(),
            [],
            [f"{keep}: the listing was incomplete ({listing.reason}), so nothing was deleted"],
        )
    first = dt.date.fromisoformat(min(rec["date"] for rec in candidates))
    last = dt.date.fromisoformat(max(rec["date"] for rec in candidates))
    check = fetch_listing(client, latest, warnings, QuietProgress(), start=first, end=last)
    if not check.complete:
        return Deletions(
            set(),
            [],
            [
                f"{keep}: re-listing their days was incomplete ({check.reason}), so nothing was "
                "deleted"
            ],
        )
    deleted = {rec["id"] for rec in candidates if rec["id"] not in check.records}
    return Deletions(deleted, list(check.records.values()), [])


def day_detail_start(
    stored_days: list[JsonObject],
    activities: list[JsonObject],
    full: bool,
    since: dt.date | None,
    today: dt.date,
) -> dt.date | None:
    """Where daily history must be backfilled from; None when the analysis window suffices."""
    if since:
        return since
    if full or not stored_days:
        first = min((rec["date"] for rec in activities), default=None)
        return (
            dt.date.fromisoformat(first)
            if first
            else today - dt.timedelta(days=DAY_DETAIL_SPAN - 1)
        )
    last = dt.date.fromisoformat(max(rec["date"] for rec in stored_days))
    window_start = today - dt.timedelta(days=83)
    return last + dt.timedelta(days=1) if last < window_start else None


class DayDetails(NamedTuple):
    records: list[JsonObject]
    notes: list[str]  # why the walk stopped early, if it did


def fetch_day_details(
    client: CorosClient, start: dt.date, end: dt.date, latest: dt.date, warnings: Problems
) -> DayDetails:
    """Walk day detail back from `end` to `start` in 24-week spans until COROS has no more.

    A COROS error code here is not fatal: the analysis window still covers recent days.
    """
    records: list[JsonObject] = []
    while end >= start:
        span_start = max(start, end - dt.timedelta(days=DAY_DETAIL_SPAN - 1))
        try:
            days = normalize_days(
                client.fetch_day_details(span_start, end), DAY_DETAIL, latest, warnings
            )
        except CorosApiError as exc:
            return DayDetails(
                records,
                [
                    f"day detail unavailable (code {exc.code}), daily history from the analysis "
                    "window"
                ],
            )
        if not days:
            break
        records = days + records
        end = span_start - dt.timedelta(days=1)
    return DayDetails(records, [])
