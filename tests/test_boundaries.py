"""Property test: random JSON shapes fed to every boundary never crash it.

Each boundary either returns data that passes the data files' own validation or raises the
project's one error type (a one-line message at the CLI) — never another exception, which the
CLI could only report as a bug.
"""

import datetime as dt
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coros_dashboard.apple_health.payload import health_records, parse_document
from coros_dashboard.coros.activities import normalize_activity
from coros_dashboard.coros.client import _day_list, _unwrap
from coros_dashboard.coros.daily import normalize_coros_day, race_predictions
from coros_dashboard.coros.profile import normalize_profile
from coros_dashboard.errors import DashboardError, Problems
from coros_dashboard.store.datafiles import (
    ACTIVITIES,
    DAILY,
    HEALTH,
    PROFILE,
    load_records,
    record_problems,
)

LATEST = dt.date(2026, 11, 23)
KEYS = [
    "labelId",
    "sportType",
    "startTime",
    "startTimezone",
    "date",
    "distance",
    "calorie",
    "avgHr",
    "name",
    "device",
    "happenDay",
    "rhr",
    "ati",
    "vo2max",
    "type",
    "duration",
    "unit",
    "zoneData",
    "maxHr",
    "maxHrZone",
    "days",
    "version",
    "steps",
    "hrv_ms",
    "sleep",
    "deep",
    "start",
    "end",
    "stage",
    "data",
    "metrics",
    "qty",
    "sleep_analysis",
    "step_count",
    "client_payload",
    "inputs",
    "payload",
    "activities",
    "id",
    "result",
    "dayList",
]
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(
        [
            "20260101",
            "2026-01-01",
            "2026-01-01T07:00:00+01:00",
            "1787144400",
            "Deep",
            "0",
            "NaN",
            "1,5",
        ]
    )
    | st.sampled_from([20260101, 1787144400, 0, -1, 99999999])
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=6), children, max_size=6)
    ),
    max_leaves=25,
)
OBJECTS = st.dictionaries(st.sampled_from(KEYS), JSON, max_size=8)
GOOD_ACTIVITY = {
    "labelId": "1",
    "sportType": 100,
    "startTime": 1787144400,
    "startTimezone": 4,
    "distance": 5000,
}
GOOD_DAY = {"happenDay": 20260101, "rhr": 50, "ati": 30}


def mutations(good: dict):
    """Valid items with one or two fields replaced, so that random values reach every check."""
    keys = st.sampled_from([*good, "date", "calorie", "avgHr"])
    return st.builds(
        lambda changes: {**good, **changes},
        st.dictionaries(keys, st.integers(-200, 200) | SCALARS | JSON, max_size=2),
    )


FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def valid(spec, record) -> bool:
    return record_problems(spec, {k: v for k, v in record.items() if v is not None}) == []


@FUZZ
@given(OBJECTS | mutations(GOOD_ACTIVITY))
def test_activity_items(item):
    try:
        record = normalize_activity(item, LATEST, Problems())
    except DashboardError:
        return
    assert valid(ACTIVITIES, record), record


@FUZZ
@given(OBJECTS | mutations(GOOD_DAY))
def test_day_items(item):
    try:
        record = normalize_coros_day(item, "analyse/query", LATEST, Problems())
    except DashboardError:
        return
    assert valid(DAILY, record), record


@FUZZ
@given(OBJECTS, st.lists(OBJECTS, max_size=3))
def test_profiles_and_races(account, scores):
    profile = normalize_profile(account, race_predictions(scores, Problems()), Problems())
    assert valid(PROFILE, profile), profile


@FUZZ
@given(JSON)
def test_coros_envelopes_and_day_lists(data):
    try:
        days = _day_list("analyse/query", _unwrap("analyse/query", 200, json.dumps(data).encode()))
    except DashboardError:
        return
    assert all(isinstance(day, dict) for day in days)


@FUZZ
@given(JSON)
def test_health_payloads(payload):
    try:
        records = health_records(parse_document(json.dumps(payload).encode()), LATEST)
    except DashboardError:
        return
    for record in records:
        assert valid(HEALTH, record), record


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(JSON)
def test_data_files(tmp_path, doc):
    for spec in (ACTIVITIES, DAILY, HEALTH):
        spec.path(tmp_path).write_text(json.dumps(doc))
        try:
            records = load_records(spec, tmp_path)
        except DashboardError:
            continue
        assert all(valid(spec, r) for r in records)
