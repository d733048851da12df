"""COROS daily metrics (analysis, day detail, dashboard) → the records of data/daily.json.

A day whose date cannot be read stops the run (see activities.py for the rules); a measurement
outside its plausible range is left out with a warning; 0 means "not measured" for some fields.
"""

import datetime as dt

from coros_dashboard.coros.activities import (
    Measurement,
    coros_number,
    read_measurements,
    two_decimals,
)
from coros_dashboard.coros.client import CorosShapeError, day_from_coros
from coros_dashboard.errors import Problems, quote
from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.store.datafiles import DAILY_FIELDS, FIRST_DAY, race_column

# COROS day field → record field; values of 0 mean "not measured" for the ones in _ZERO_IS_MISSING
COROS_DAY_FIELDS = {
    "trainingLoad": "training_load",
    "ati": "ati",
    "cti": "cti",
    "tiredRateNew": "fatigue",
    "trainingLoadRatio": "training_load_ratio",
    "vo2max": "vo2max",
    "staminaLevel": "stamina_level",
    "rhr": "resting_hr",
    "testRhr": "test_resting_hr",
    "avgSleepHrv": "sleep_hrv_ms",
    "sleepHrvBase": "sleep_hrv_base_ms",
    "lthr": "lthr",
    "ltsp": "ltsp_s_per_km",
    "distance": "distance_m",
    "duration": "duration_s",
    "recomendTlMin": "recommended_load_min",
    "recomendTlMax": "recommended_load_max",
}
_ZERO_IS_MISSING = {
    "vo2max",
    "stamina_level",
    "resting_hr",
    "test_resting_hr",
    "sleep_hrv_ms",
    "sleep_hrv_base_ms",
    "lthr",
    "ltsp_s_per_km",
}
# runScoreList type → race
RACE_CODES = {5: "5k", 4: "10k", 2: "half", 1: "marathon"}


def normalize_coros_day(
    item: JsonObject, path: str, latest: dt.date, warnings: Problems
) -> JsonObject:
    """One analysis/day-detail item of `path` as a record; CorosShapeError when its day is
    unreadable."""
    day = day_from_coros(item.get("happenDay"), latest)
    if day is None:
        raise CorosShapeError(
            path,
            f"happenDay {quote(item.get('happenDay'))} is not a day from {FIRST_DAY} to {latest}",
        )
    fields: dict[str, Measurement] = {
        source: (field, two_decimals) for source, field in COROS_DAY_FIELDS.items()
    }
    return {
        "date": day.isoformat(),
        **read_measurements(
            item, fields, DAILY_FIELDS, _ZERO_IS_MISSING, path, f"{path} {day}", warnings
        ),
    }


def normalize_days(
    items: list[JsonObject], path: str, latest: dt.date, warnings: Problems
) -> list[JsonObject]:
    return [normalize_coros_day(item, path, latest, warnings) for item in items]


def sleep_hrv_days(
    summary: JsonObject, path: str, latest: dt.date, warnings: Problems
) -> list[JsonObject]:
    """The dashboard's last nights of sleep HRV as daily records."""
    nights = summary.get("sleepHrvData", {}).get("sleepHrvList", [])
    return normalize_days(nights, path, latest, warnings)


# dashboard/query's summaryInfo: today's values only, stored each fetch so that they have a history
COROS_DASHBOARD_FIELDS = {
    "recoveryPct": "recovery_pct",
    "fullRecoveryHours": "full_recovery_h",
    "aerobicEnduranceScore": "aerobic_endurance_score",
    "lactateThresholdCapacityScore": "threshold_capacity_score",
    "anaerobicEnduranceScore": "anaerobic_endurance_score",
    "anaerobicCapacityScore": "anaerobic_capacity_score",
    "staminaLevel": "stamina_level",
    "lthr": "lthr",
    "ltsp": "ltsp_s_per_km",
}


def dashboard_today(summary: JsonObject, path: str, warnings: Problems) -> JsonObject:
    """summaryInfo's current scores, thresholds, stamina and recovery as today's record fields."""
    fields: dict[str, Measurement] = {
        source: (field, two_decimals) for source, field in COROS_DASHBOARD_FIELDS.items()
    }
    return read_measurements(
        summary, fields, DAILY_FIELDS, _ZERO_IS_MISSING, path, f"{path} today", warnings
    )


def race_predictions(run_scores: list[JsonObject], warnings: Problems) -> JsonObject:
    """runScoreList → {'race_5k_s': 1234, ...} for the races COROS predicts."""
    out = {}
    for score in run_scores:
        kind = score.get("type")
        race = RACE_CODES.get(kind) if isinstance(kind, int) else None
        if race and coros_number(score.get("duration")):
            out.update(
                read_measurements(
                    score,
                    {"duration": (race_column(race), round)},
                    DAILY_FIELDS,
                    set(),
                    "dashboard/query",
                    f"race prediction {race}",
                    warnings,
                )
            )
    return out
