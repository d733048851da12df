"""Every data file is validated on load: one line naming file, record and field; nothing guessed."""

import json
import math

import pytest

from coros_dashboard.errors import DashboardError
from coros_dashboard.store.datafiles import (
    ACTIVITIES,
    DAILY,
    HEALTH,
    PLAN,
    PROFILE,
    RACES,
    RECORD_FILES,
    load_profile,
    load_records,
    stored_number,
)

GOOD = {
    ACTIVITIES.name: {
        "id": "1",
        "date": "2026-01-02",
        "sport": "Run",
        "sport_code": 100,
        "name": "x",
        "start_local": "2026-01-02T07:00:00+01:00",
        "distance_m": 5000.5,
        "avg_hr": 150,
    },
    DAILY.name: {"date": "2026-01-02", "training_load": 50, "fatigue": -12.5, "race_5k_s": 1200},
    PLAN.name: {
        "id": "460904915775176706-5",
        "date": "2026-01-02",
        "name": "Intervals",
        "sport_code": 100,
        "distance_m": 10000,
        "summary": "2 km warm-up, 6 × 800 m at 3:45/km with 2 min rest, 2 km cool-down",
        "activity_id": "1",
    },
    HEALTH.name: {
        "date": "2026-01-02",
        "steps": 1000,
        "sleep_deep_min": 60.5,
        "sleep_end": "2026-01-02T07:00:00+01:00",
    },
}


def write(tmp_path, spec, doc):
    path = spec.path(tmp_path)
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return path


@pytest.mark.parametrize("spec", RECORD_FILES, ids=lambda s: s.name)
def test_good_records_load_and_a_missing_file_is_an_empty_history(tmp_path, spec):
    assert load_records(spec, tmp_path) == []
    write(tmp_path, spec, spec.document([GOOD[spec.name]]))
    assert load_records(spec, tmp_path) == [GOOD[spec.name]]


@pytest.mark.parametrize("spec", RECORD_FILES, ids=lambda s: s.name)
@pytest.mark.parametrize(
    "content, message",
    [
        ("null", "must be a JSON object with a version, not None"),
        ("[]", "must be a JSON object"),
        ('{"version": 2}', "format version 2"),
        ('{"version": 1}', "has no"),
        ("{", "is not valid JSON"),
        (b"\xff", "is not UTF-8"),
    ],
)
def test_damaged_newer_or_null_files_are_one_line_errors(tmp_path, spec, content, message):
    path = spec.path(tmp_path)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(DashboardError, match=message) as err:
        load_records(spec, tmp_path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("spec", RECORD_FILES, ids=lambda s: s.name)
@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda r: "not a record", r"record 2 must be an object"),
        (
            lambda r: {k: v for k, v in r.items() if k != ("id" if "id" in r else "date")},
            "is missing",
        ),
        (lambda r: r | {"date": 20260102}, "'date' must be a date"),
        (lambda r: r | {"date": "2026-02-30"}, "not a real calendar day"),
        (lambda r: r | {"bogus": 1}, "'bogus' is not a field"),
    ],
)
def test_each_bad_record_names_file_record_and_field(tmp_path, spec, edit, message):
    path = write(tmp_path, spec, spec.document([GOOD[spec.name], edit(dict(GOOD[spec.name]))]))
    with pytest.raises(DashboardError, match=message) as err:
        load_records(spec, tmp_path)
    assert str(path) in str(err.value) and "record" in str(err.value)


@pytest.mark.parametrize(
    "spec, field, value",
    [
        (ACTIVITIES, "distance_m", "5 km"),
        (ACTIVITIES, "avg_hr", 150.5),
        (DAILY, "training_load", 1e308),
        (HEALTH, "steps", "11,234"),
        (HEALTH, "sleep_end", "07:00"),
        (DAILY, "vo2max", True),
    ],
)
def test_wrong_types_and_impossible_values_are_refused(tmp_path, spec, field, value):
    write(tmp_path, spec, spec.document([GOOD[spec.name] | {field: value}]))
    with pytest.raises(DashboardError, match=f"'{field}'"):
        load_records(spec, tmp_path)


@pytest.mark.parametrize("field", ["name", "distance_m"])
def test_a_required_field_is_named_when_missing(tmp_path, field):
    race = {"date": "2027-02-07", "name": "Valencia Marathon", "distance_m": 42195}
    del race[field]
    write(tmp_path, RACES, RACES.document([race]))
    with pytest.raises(DashboardError, match=f"record 1 \\('2027-02-07'\\): '{field}' is missing"):
        load_records(RACES, tmp_path)


def test_duplicate_keys_are_refused_not_silently_merged(tmp_path):
    write(
        tmp_path, DAILY, DAILY.document([GOOD[DAILY.name], GOOD[DAILY.name] | {"training_load": 1}])
    )
    with pytest.raises(DashboardError, match="records 1 and 2 have the same date '2026-01-02'"):
        load_records(DAILY, tmp_path)


def test_a_long_bad_value_is_quoted_short(tmp_path):
    write(tmp_path, HEALTH, HEALTH.document([GOOD[HEALTH.name] | {"sleep_start": "x" * 4_000_000}]))
    with pytest.raises(DashboardError) as err:
        load_records(HEALTH, tmp_path)
    assert len(str(err.value).replace(str(HEALTH.path(tmp_path)), "")) < 200


def test_profile_is_validated_and_names_its_file(tmp_path):
    assert load_profile(tmp_path) == {}
    path = write(tmp_path, PROFILE, {"version": 1, "units": "furlongs"})
    with pytest.raises(
        DashboardError, match="'units' 'furlongs' must be one of metric, imperial"
    ) as err:
        load_profile(tmp_path)
    assert str(path) in str(err.value)
    write(
        tmp_path,
        PROFILE,
        {"version": 1, "units": "imperial", "race_predictions": {"race_5k_s": 1200}},
    )
    assert load_profile(tmp_path) == {"units": "imperial", "race_predictions": {"race_5k_s": 1200}}


BROKEN = {
    "null health.json": ("health.json", "null"),
    "record without date": ("daily.json", '{"version": 1, "days": [{"training_load": 5}]}'),
    "record not an object": ("activities.json", '{"version": 1, "activities": [7]}'),
    "int date": ("health.json", '{"version": 1, "days": [{"date": 20260101}]}'),
    "30 February": ("daily.json", '{"version": 1, "days": [{"date": "2026-02-30"}]}'),
    "string in a number field": (
        "activities.json",
        '{"version": 1, "activities": [{"id": "1", "date": "2026-01-01", "distance_m": "far"}]}',
    ),
    "duplicate dates": (
        "health.json",
        '{"version": 1, "days": [{"date": "2026-01-01", "steps": 1}, '
        '{"date": "2026-01-01", "steps": 2}]}',
    ),
    "bogus units": ("profile.json", '{"version": 1, "units": "furlongs"}'),
}
# each command with the breakages of the files it reads (fetch overwrites profile.json unread)
CASES = [
    ("fetch_coros.py", case)
    for case in (
        "record without date",
        "record not an object",
        "30 February",
        "string in a number field",
    )
]
CASES += [
    ("receive_health_data.py", case) for case in ("null health.json", "int date", "duplicate dates")
]
CASES += [
    ("build_site.py", case)
    for case in ("null health.json", "record not an object", "30 February", "bogus units")
]
READERS = {
    "fetch_coros.py": {"activities.json", "daily.json", "plan.json"},
    "receive_health_data.py": {"health.json"},
    "build_site.py": {"activities.json", "daily.json", "health.json", "profile.json", "plan.json"},
}


@pytest.mark.parametrize("script, case", CASES)
def test_every_command_names_the_broken_file_in_one_line_and_writes_nothing(tmp_path, script, case):
    from support import run_in_process, snapshot

    name, text = BROKEN[case]
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / name).write_text(text)
    (data_dir / "profile.json").write_bytes(
        b'{"version": 1, "units": "metric", "name": "\xff"}'
        if name != "profile.json"
        else text.encode()
    )
    payload = tmp_path / "payload.json"
    payload.write_text('{"days": [{"date": "2026-01-01", "steps": 5}]}')
    before = snapshot(data_dir)
    args = {
        "fetch_coros.py": ["--today", "2026-11-22"],
        "receive_health_data.py": [payload],
        "build_site.py": ["--site-dir", tmp_path / "site"],
    }[script]
    env = {"COROS_EMAIL": "a@b.c", "COROS_PASSWORD": "x", "COROS_API_BASE": "http://127.0.0.1:9"}
    result = run_in_process(script, "--data-dir", data_dir, *args, env=env)
    assert name in READERS[script] and "Traceback" not in result.stderr
    assert snapshot(data_dir) == before
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and str(data_dir / name) in result.stderr, result.stderr


def test_zero_heart_rate_in_an_older_file_is_read_as_not_measured(tmp_path):
    old = GOOD[ACTIVITIES.name] | {"avg_hr": 0, "max_hr": 0, "avg_cadence": 0}
    write(tmp_path, ACTIVITIES, ACTIVITIES.document([old]))
    loaded = load_records(ACTIVITIES, tmp_path)[0]
    assert not {"avg_hr", "max_hr", "avg_cadence"} & set(loaded) and loaded["id"] == "1"


@pytest.mark.parametrize(
    "value, digits, stored",
    [
        (72.0, 1, 72),
        (72.04, 1, 72),  # whole once rounded: an int, never 72.0
        (3.999, 2, 4),
        (3.14159, 2, 3.14),
        (58.25, 1, 58.2),
        (10**20 + 1, 2, 10**20 + 1),  # ints stay exact
        (-0.04, 1, 0),
    ],
)
def test_a_number_is_stored_rounded_and_whole_numbers_as_ints(value, digits, stored):
    kept = stored_number(value, digits)
    assert kept == stored and type(kept) is type(stored)
    assert json.dumps(kept) == json.dumps(stored)


def test_inf_and_nan_are_stored_as_they_are_for_the_checks_to_name():
    assert stored_number(math.inf, 1) == math.inf
    assert math.isnan(stored_number(math.nan, 1))
