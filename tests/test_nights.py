"""Sleep segments → nights and payloads → records, in-process with hand-counted minutes."""

import datetime as dt

import pytest

from coros_dashboard.apple_health.nights import Moment, Segment, nights_from_segments, parse_time
from coros_dashboard.apple_health.payload import PayloadError, health_records
from coros_dashboard.errors import Problems

TODAY = dt.date(2026, 11, 22)
CET = dt.timezone(dt.timedelta(hours=1))


def at(text: str) -> Moment:
    local = dt.datetime.fromisoformat(text).replace(tzinfo=CET)
    return Moment(local.astimezone(dt.UTC), local)


def seg(start: str, end: str, stage: str) -> Segment:
    return Segment(at(start), at(end), stage)


def test_a_night_is_dated_by_its_wake_day_and_overlaps_count_once():
    night = [
        seg("2026-11-20T23:00", "2026-11-21T01:00", "core"),  # 120 min
        seg("2026-11-21T00:30", "2026-11-21T01:30", "core"),  # a second source: +30 min of union
        seg("2026-11-21T01:30", "2026-11-21T02:15", "deep"),  # 45 min
        seg("2026-11-21T02:15", "2026-11-21T03:00", "rem"),  # 45 min
        seg("2026-11-20T22:50", "2026-11-21T07:00", "in_bed"),  # kept apart from the stages
    ]
    (record,) = nights_from_segments(night, TODAY, Problems())
    assert record["date"] == "2026-11-21"
    assert (record["sleep_core_min"], record["sleep_deep_min"], record["sleep_rem_min"]) == (
        150,
        45,
        45,
    )
    assert record["sleep_asleep_min"] == 240 and record["sleep_in_bed_min"] == 490
    assert record["sleep_start"] == "2026-11-20T22:50:00+01:00"
    assert record["sleep_end"] == "2026-11-21T07:00:00+01:00"


def test_a_nap_is_apart_from_the_night_of_the_same_day():
    segments = [
        seg("2026-11-20T23:00", "2026-11-21T06:00", "core"),  # the night, 420 min
        seg("2026-11-21T14:00", "2026-11-21T14:40", "core"),  # a nap, 40 min, hours later
    ]
    (record,) = nights_from_segments(segments, TODAY, Problems())
    assert record["sleep_core_min"] == 420 and record["sleep_nap_min"] == 40


def test_a_night_after_tomorrow_is_a_problem_not_a_record():
    problems = Problems()
    assert (
        nights_from_segments([seg("2026-11-24T01:00", "2026-11-24T05:00", "core")], TODAY, problems)
        == []
    )
    assert problems and "outside" in problems[0]


@pytest.mark.parametrize(
    "text, local",
    [
        ("2026-11-21T07:00:00+01:00", "2026-11-21T07:00:00+01:00"),
        ("2026-11-21 07:00:00 +0100", "2026-11-21T07:00:00+01:00"),
        ("2026-11-21T07:00:00", "2026-11-21T07:00:00"),  # no offset: the phone's own clock
    ],
)
def test_times_keep_the_wall_clock_they_were_written_in(text, local):
    moment = parse_time(text)
    assert moment is not None and moment.local.isoformat() == local
    assert parse_time("yesterday") is None and parse_time(7) is None


def test_a_v1_payload_becomes_records_in_process():
    payload = {
        "version": 1,
        "days": [
            {
                "date": "2026-11-21",
                "resting_hr": 52,
                "steps": "11,234",
                "sleep": {"deep": 62, "core": 201, "rem": 80},
            },
        ],
    }
    (record,) = health_records(payload, TODAY)
    assert record["resting_hr"] == 52 and record["steps"] == 11234
    assert record["sleep_asleep_min"] == 343


def test_a_payload_with_any_problem_is_refused_whole():
    payload = {
        "version": 1,
        "days": [
            {"date": "2026-11-21", "resting_hr": 52},
            {"date": "2026-11-20", "resting_hr": 500},
        ],
    }
    with pytest.raises(PayloadError, match="resting_hr"):
        health_records(payload, TODAY)


def test_a_staged_night_without_deep_sleep_has_zero_deep_sleep_not_none():
    night = [
        seg("2026-11-20T23:00", "2026-11-21T03:00", "core"),
        seg("2026-11-21T03:00", "2026-11-21T04:00", "rem"),
    ]
    (record,) = nights_from_segments(night, TODAY, Problems())
    assert record["sleep_deep_min"] == 0 and record["sleep_core_min"] == 240
    unstaged = [seg("2026-11-20T23:00", "2026-11-21T06:00", "unspecified")]  # an iPhone's night
    (record,) = nights_from_segments(unstaged, TODAY, Problems())
    assert "sleep_deep_min" not in record and record["sleep_asleep_min"] == 420


@pytest.mark.parametrize(
    "payload, message",
    [
        (
            {"version": 1, "days": [{"date": "2026-11-20", "steps": int("9" * 400)}]},
            "steps must be a finite",
        ),
        (
            {
                "version": 1,
                "days": [{"date": "2026-11-20", "sleep": {"deep": 1e308, "core": 1e308}}],
            },
            "sleep.deep 1e+308 min is outside",
        ),
        (
            {"data": {"metrics": [{"name": ["x"], "units": "count", "data": []}]}},
            "name must be text",
        ),
        (
            {"version": 1, "days": [{"date": "2026-11-20", "k" * 4_000_000: 1}]},
            "unknown field 'kkk",
        ),
    ],
    ids=["400-digit integer", "sum past a float", "name a list", "4 MB key"],
)
def test_hostile_payloads_are_refusals_naming_the_field_never_crashes(payload, message):
    with pytest.raises(PayloadError) as refused:
        health_records(payload, TODAY)
    text = str(refused.value)
    assert message in text and len(text) < 1000  # names cut, as values already are
