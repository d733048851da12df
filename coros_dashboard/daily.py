"""COROS daily metrics (analysis, day detail, dashboard) → the records of data/daily.json."""

from .activities import coros_day_to_iso

# COROS day field → record field; values of 0 mean "not measured" for the ones in _ZERO_IS_MISSING
_DAY_FIELDS = {
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
    "vo2max", "stamina_level", "resting_hr", "test_resting_hr", "sleep_hrv_ms",
    "sleep_hrv_base_ms", "lthr", "ltsp_s_per_km",
}
# runScoreList type → race
RACES = {5: "5k", 4: "10k", 2: "half", 1: "marathon"}


def _number(value):
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else round(number, 2)


def normalize_day(item: dict) -> dict | None:
    """One analysis/day-detail item; None when it has no usable date."""
    try:
        record = {"date": coros_day_to_iso(item["happenDay"])}
    except (KeyError, TypeError, ValueError):
        return None
    for source, field in _DAY_FIELDS.items():
        value = _number(item.get(source))
        if value is None or (value == 0 and field in _ZERO_IS_MISSING):
            continue
        record[field] = value
    return record


def normalize_days(items) -> list:
    return [rec for rec in map(normalize_day, items or []) if rec]


def day_items(data) -> list:
    """The per-day list of an analysis or day-detail answer, whatever key COROS put it under."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in ("dayList", "detailList", "list"):
            if isinstance(data.get(key), list):
                return data[key]
    return []


def sleep_hrv_days(summary: dict) -> list:
    """The dashboard's last nights of sleep HRV as daily records."""
    hrv = (summary or {}).get("sleepHrvData") or {}
    return normalize_days(hrv.get("sleepHrvList"))


def race_predictions(run_scores) -> dict:
    """runScoreList → {'race_5k_s': 1234, ...} for the races COROS predicts."""
    out = {}
    for score in run_scores or []:
        race = RACES.get(score.get("type"))
        seconds = _number(score.get("duration"))
        if race and seconds:
            out[f"race_{race}_s"] = int(seconds)
    return out
