"""One fetch run in the order that keeps every promise: the summary sync is saved first, then stored
routes are masked again with the current zones (a failed sync changes nothing), then details are
fetched within their budget (a detail never costs the run its summary)."""

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from coros_dashboard.coros.client import CorosClient, CorosConfig
from coros_dashboard.coros.parts import Part, attempt
from coros_dashboard.coros.sync import sync_data_dir
from coros_dashboard.errors import DashboardError, Problems
from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.privacy import Privacy, remasked_route
from coros_dashboard.store.storage import save_json_files
from coros_dashboard.store.stored_details import StoredDetails, load_detail

MAX_WARNINGS = 20
REMASK_BATCH = 200  # detail files held and written at once


class Say(Protocol):
    """Prints one line of the run's output as soon as it is known."""

    def __call__(self, line: str, warning: bool = False) -> None: ...


@dataclass(frozen=True)
class FetchOptions:
    data_dir: Path
    full: bool
    since: dt.date | None
    today: dt.date | None
    detail_budget: int
    privacy: Privacy
    detail_seconds: float = math.inf
    plan_seconds: float = math.inf


def run_fetch(config: CorosConfig, options: FetchOptions, say: Say) -> None:
    """Sync, mask again, fetch details; `say(line, warning=False)` prints a line as it is ready."""
    client = CorosClient(config)
    result = sync_data_dir(
        client,
        options.data_dir,
        full=options.full,
        since=options.since,
        today=options.today,
        plan_seconds=options.plan_seconds,
    )
    warnings = Problems(result.warnings)
    remasked = remask_stored(options.data_dir, options.privacy, warnings)
    for line in warnings.shown(MAX_WARNINGS):
        say(line, warning=True)
    say(result.summary())
    if remasked:
        say(f"privacy: {remasked} stored route(s) masked again with the current zones")
    if options.detail_budget and not options.privacy.zones:
        say(
            "privacy: no PRIVACY_ZONES set, so routes are stored with the start/finish trim only "
            "(add the secret to hide places such as home)"
        )
    if options.detail_budget:
        # imported when details are fetched: numpy and the FIT reader stay out of a summary-only run
        from coros_dashboard.coros.details import sync_details

        problems = Problems()
        details = attempt(
            Part.DETAILS,
            lambda: sync_details(
                client,
                options.data_dir,
                result.records,
                options.detail_budget,
                options.privacy,
                seconds=options.detail_seconds,
                today=options.today,
            ),
            None,
            problems,
        )
        for line in problems:
            say(line, warning=True)
        if details:
            say(details.summary(options.detail_budget))


def remask_stored(data_dir: Path, privacy: Privacy, warnings: Problems) -> int:
    """Apply the current private zones to every stored route, so a zone added later also reaches the
    routes fetched before it (a format-1 file is rewritten in segments on the way); returns how
    many files changed. A damaged file is left for the build to report (a warning here). A longer
    trim needs the original start and finish, which are not stored: see the README.

    Files are written in batches, each batch atomic: the work is idempotent, so a run that stops
    between batches leaves nothing wrong and the next run finishes it."""
    if not privacy.zones:
        return 0
    from coros_dashboard.geo import decode_route, encode_route

    changed = 0
    batch: dict[Path, JsonObject] = {}
    for path in StoredDetails(data_dir).paths.values():
        try:
            doc = load_detail(path)
        except DashboardError as exc:
            warnings.add(f"{exc}; its route was not masked again")
            continue
        if not doc.get("route"):
            continue
        segments = [decode_route(s).tolist() for s in doc["route"]]
        kept = [encode_route(s) for s in remasked_route(segments, privacy, doc["id"])]
        batch[path] = {key: value for key, value in doc.items() if key != "route"}
        if kept:
            batch[path]["route"] = kept
        if len(batch) >= REMASK_BATCH:
            changed += len(save_json_files(batch))
            batch = {}
    return changed + len(save_json_files(batch))
