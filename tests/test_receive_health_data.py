"""receive_health_data.py: every input form, merging, and bad input — through its main() in this
process (support.run_in_process), and as a real process where stdin and the event path are the
point."""

import datetime as dt
import json
import re

import pytest
from support import ROOT, run_in_process, run_script

EXAMPLES = ROOT / "examples" / "health"


@pytest.fixture
def receive(tmp_path):
    data_dir = tmp_path / "data"

    def run(*args, payload=None, env=None, process=False):
        stdin = json.dumps(payload) if isinstance(payload, (dict, list)) else payload
        return (run_script if process else run_in_process)(
            "receive_health_data.py", *args, "--data-dir", data_dir, input=stdin, env=env
        )

    run.data_dir = data_dir
    run.file = data_dir / "health.json"
    run.days = lambda: {d["date"]: d for d in json.loads(run.file.read_text())["days"]}
    return run


def example(name):
    return EXAMPLES / f"{name}.json"


def test_event_file_from_github_event_path(receive):
    event = {"GITHUB_EVENT_PATH": str(example("repository-dispatch-event"))}
    result = receive(env=event, process=True)
    assert result.returncode == 0, result.stderr
    assert receive.days()["2026-11-21"]["hrv_ms"] == 48.6
    assert "1 day(s) added" in result.stdout


def test_bare_file_and_stdin_give_the_same_file(receive, tmp_path):
    assert receive(example("multi-day")).returncode == 0
    first = receive.file.read_bytes()
    receive.file.unlink()
    assert receive("-", payload=example("multi-day").read_text(), process=True).returncode == 0
    assert receive.file.read_bytes() == first
    days = receive.days()
    assert list(days) == ["2026-11-19", "2026-11-20", "2026-11-21"]
    assert days["2026-11-20"] == {
        "date": "2026-11-20",
        "resting_hr": 51,
        "hrv_ms": 52.3,
        "spo2_pct": 97.5,
        "steps": 12004,
        "sleep_deep_min": 71,
        "sleep_core_min": 205,
        "sleep_rem_min": 101,
        "sleep_awake_min": 12,
        "sleep_asleep_min": 377,
    }


def test_single_day_shorthand_converts_fraction_spo2_and_strings(receive):
    assert receive(example("single-day")).returncode == 0
    day = receive.days()["2026-11-21"]
    assert day["spo2_pct"] == 97 and day["hrv_ms"] == 48.6 and day["sleep_in_bed_min"] == 412
    assert day["sleep_asleep_min"] == 62 + 221 + 94


def test_sample_lists_are_averaged_or_summed(receive):
    assert receive(example("samples")).returncode == 0
    day = receive.days()["2026-11-21"]
    assert day["resting_hr"] == 52 and day["hrv_ms"] == round((41.5 + 48 + 56.5) / 3, 1)
    assert day["spo2_pct"] == 97 and day["steps"] == 10000


def test_sleep_segments_become_wake_date_nights_in_their_own_offsets(receive):
    def seg(stage, start, end):
        return {"stage": stage, "start": start, "end": end}

    payload = {
        "days": [
            {
                "date": "2026-03-02",
                "sleep": [
                    # a night in Berlin (UTC+1) ending on 2 March: in bed spans the stages, not
                    # added to them
                    seg("In Bed", "2026-03-01T22:30:00+01:00", "2026-03-02T06:30:00+01:00"),
                    seg("Core", "2026-03-01T23:00:00+01:00", "2026-03-02T02:00:00+01:00"),
                    seg("Deep", "2026-03-02T02:00:00+01:00", "2026-03-02T03:00:00+01:00"),
                    seg(
                        "Core", "2026-03-02T02:30:00+01:00", "2026-03-02T03:00:00+01:00"
                    ),  # second source, overlaps
                    seg("REM", "2026-03-02T03:00:00+01:00", "2026-03-02T06:00:00+01:00"),
                    # the next night in New York (UTC-5): ends 3 March locally, 11:00 UTC
                    seg("Core", "2026-03-02T23:30:00-05:00", "2026-03-03T03:30:00-05:00"),
                    seg("Awake", "2026-03-03T03:30:00-05:00", "2026-03-03T03:45:00-05:00"),
                    seg("Asleep", "2026-03-03T03:45:00-05:00", "2026-03-03T06:00:00-05:00"),
                ],
            }
        ]
    }
    assert receive("-", payload=payload).returncode == 0
    days = receive.days()
    assert set(days) == {"2026-03-02", "2026-03-03"}
    berlin, new_york = days["2026-03-02"], days["2026-03-03"]
    assert berlin["sleep_in_bed_min"] == 480 and berlin["sleep_asleep_min"] == 420
    assert (berlin["sleep_core_min"], berlin["sleep_deep_min"], berlin["sleep_rem_min"]) == (
        210,
        60,
        180,
    )
    assert berlin["sleep_start"] == "2026-03-01T22:30:00+01:00"
    assert new_york["sleep_asleep_min"] == 240 + 135 and new_york["sleep_awake_min"] == 15
    assert new_york["sleep_end"] == "2026-03-03T06:00:00-05:00"


def test_segments_without_an_offset_use_the_phone_wall_clock(receive):
    payload = {
        "date": "2026-03-05",
        "sleep": [
            {"stage": "Core", "start": "2026-03-04T23:40:00", "end": "2026-03-05T03:40:00"},
            {"stage": "REM", "start": "2026-03-05 03:40:00", "end": "2026-03-05 05:10:00"},
        ],
    }
    assert receive("-", payload=payload).returncode == 0
    night = receive.days()["2026-03-05"]
    assert night["sleep_asleep_min"] == 330 and night["sleep_end"] == "2026-03-05T05:10:00"


def test_health_auto_export_aggregated_hours_become_minutes(receive):
    assert receive(example("health-auto-export-aggregated")).returncode == 0
    day = receive.days()["2026-11-21"]
    assert (
        day["sleep_deep_min"] == 63
        and day["sleep_core_min"] == 222
        and day["sleep_in_bed_min"] == 444
    )
    assert day["hrv_ms"] == 48.5 and day["steps"] == 10600 and day["spo2_pct"] == 97


def test_health_auto_export_unaggregated_sleep(receive):
    assert receive(example("health-auto-export-unaggregated")).returncode == 0
    day = receive.days()["2026-11-21"]
    assert (
        day["sleep_asleep_min"] == 420
        and day["sleep_in_bed_min"] == 470
        and day["sleep_awake_min"] == 15
    )


def test_replaying_a_payload_is_byte_identical(receive):
    assert receive(example("multi-day")).returncode == 0
    before = receive.file.read_bytes()
    result = receive(example("multi-day"))
    assert receive.file.read_bytes() == before
    assert "0 day(s) added, 0 updated" in result.stdout


def test_partial_update_keeps_other_fields_and_out_of_order_days_land_in_order(receive):
    assert receive(example("multi-day")).returncode == 0
    assert (
        receive(
            "-",
            payload={
                "days": [
                    {"date": "2026-11-20", "steps": 500},
                    {"date": "2026-11-01", "resting_hr": 60},
                ]
            },
        ).returncode
        == 0
    )
    days = receive.days()
    assert list(days) == ["2026-11-01", "2026-11-19", "2026-11-20", "2026-11-21"]
    assert days["2026-11-20"]["steps"] == 500 and days["2026-11-20"]["hrv_ms"] == 52.3


def test_locked_phone_payload_changes_nothing(receive):
    assert receive(example("multi-day")).returncode == 0
    before = receive.file.read_bytes()
    result = receive(example("locked-phone"))
    assert result.returncode == 0 and receive.file.read_bytes() == before


def test_dry_run_writes_nothing(receive):
    result = receive(example("multi-day"), "--dry-run")
    assert result.returncode == 0 and "would be merged" in result.stdout
    assert not receive.file.exists()


TODAY = dt.date.today()
BAD = {
    "not-json": ("{days: [", "is not JSON"),
    "empty-input": ("", "is not JSON"),
    "top-level-list": ("[1, 2]", "must be a JSON object, not a list"),
    "top-level-number": ("42", "must be a JSON object, not a number"),
    "string-not-object": ('"hello"', "is a string, not a JSON object"),
    "triple-encoded": (
        json.dumps(json.dumps(json.dumps({"date": "2026-01-01"}))),
        "more than twice",
    ),
    "event-without-payload": ({"action": "health-data", "repository": {}}, "has no client_payload"),
    "event-null-payload": (
        {"action": "health-data", "client_payload": None},
        "has no client_payload",
    ),
    "event-list-payload": ({"client_payload": [1]}, "client_payload must be a JSON object"),
    "no-days": ({"hello": 1}, "neither 'days' nor a 'date'"),
    "days-not-list": ({"days": {"date": "2026-01-01"}}, "'days' must be a list"),
    "days-empty": ({"days": []}, "'days' is empty"),
    "day-not-object": ({"days": ["2026-01-01"]}, "each day must be an object"),
    "unknown-top-field": (
        {"days": [{"date": "2026-01-01"}], "extra": 1},
        "unknown top-level field 'extra'",
    ),
    "bad-version": ({"version": 2, "days": [{"date": "2026-01-01"}]}, "version 2 is not supported"),
    "missing-date": ({"days": [{"resting_hr": 50}]}, "date is missing"),
    "date-format": (
        {"days": [{"date": "21/11/2026", "steps": 1}]},
        "'21/11/2026' is not YYYY-MM-DD",
    ),
    "date-impossible": (
        {"days": [{"date": "2026-02-30"}]},
        "2026-02-30: date is not a real calendar day",
    ),
    "date-too-old": ({"days": [{"date": "1999-12-31"}]}, "1999-12-31: date is outside"),
    "date-future": (
        {"days": [{"date": (TODAY + dt.timedelta(days=3)).isoformat()}]},
        "date is outside",
    ),
    "unknown-day-field": (
        {"days": [{"date": "2026-01-01", "hrv": 50}]},
        "2026-01-01: unknown field 'hrv'",
    ),
    "rhr-range": (
        {"days": [{"date": "2026-01-01", "resting_hr": 300}]},
        "2026-01-01: resting_hr 300 is outside 20–250 bpm",
    ),
    "rhr-low": (
        {"days": [{"date": "2026-01-01", "resting_hr": "12"}]},
        "resting_hr 12 is outside 20–250",
    ),
    "hrv-range": (
        {"days": [{"date": "2026-01-01", "hrv_ms": [0.2, 0.4]}]},
        "hrv_ms 0.3 is outside 1–300",
    ),
    "spo2-range": (
        {"days": [{"date": "2026-01-01", "spo2_pct": 40}]},
        "spo2_pct 40 is outside 50–100",
    ),
    "steps-range": ({"days": [{"date": "2026-01-01", "steps": -5}]}, "steps -5 is outside"),
    "steps-too-many": (
        {"days": [{"date": "2026-01-01", "steps": [150000, 90000]}]},
        "steps 240000 is outside",
    ),
    "not-a-number": (
        {"days": [{"date": "2026-01-01", "resting_hr": "fast"}]},
        "resting_hr 'fast' is not a number",
    ),
    "bool-metric": (
        {"days": [{"date": "2026-01-01", "steps": True}]},
        "steps must be a number, not true/false",
    ),
    "object-metric": (
        {"days": [{"date": "2026-01-01", "hrv_ms": [{"value": {"x": 1}}]}]},
        "hrv_ms must be a number",
    ),
    "nan": ('{"date": "2026-01-01", "hrv_ms": NaN}', "NaN is not a JSON number"),
    "sleep-type": (
        {"days": [{"date": "2026-01-01", "sleep": 420}]},
        "sleep must be minutes per stage",
    ),
    "sleep-stage-range": (
        {"days": [{"date": "2026-01-01", "sleep": {"deep": 1500}}]},
        "sleep.deep 1500 min is outside 0–24 h",
    ),
    "sleep-stage-negative": (
        {"days": [{"date": "2026-01-01", "sleep": {"rem": -5}}]},
        "sleep.rem -5 min is outside 0–24 h",
    ),
    "sleep-total": (
        {"days": [{"date": "2026-01-01", "sleep": {"deep": 700, "core": 800}}]},
        "more than 24 h",
    ),
    "sleep-unknown-stage": (
        {"days": [{"date": "2026-01-01", "sleep": {"dream": 20}}]},
        "unknown sleep stage 'dream' (expected deep, core, rem, unspecified, awake, in_bed)",
    ),
    "segment-bad-stage": (
        {
            "days": [
                {
                    "date": "2026-01-01",
                    "sleep": [
                        {
                            "stage": "Dreaming",
                            "start": "2026-01-01T01:00:00",
                            "end": "2026-01-01T02:00:00",
                        }
                    ],
                }
            ]
        },
        "'Dreaming'",
    ),
    "segment-bad-time": (
        {
            "days": [
                {
                    "date": "2026-01-01",
                    "sleep": [
                        {"stage": "Deep", "start": "last night", "end": "2026-01-01T02:00:00"}
                    ],
                }
            ]
        },
        "must be date-times",
    ),
    "segment-reversed": (
        {
            "days": [
                {
                    "date": "2026-01-01",
                    "sleep": [
                        {
                            "stage": "Deep",
                            "start": "2026-01-01T03:00:00",
                            "end": "2026-01-01T02:00:00",
                        }
                    ],
                }
            ]
        },
        "end must be after",
    ),
    "segment-future-night": (
        {
            "days": [
                {
                    "date": "2026-01-01",
                    "sleep": [
                        {
                            "stage": "Deep",
                            "start": "2099-01-01T01:00:00",
                            "end": "2099-01-01T02:00:00",
                        }
                    ],
                }
            ]
        },
        "2099-01-01: date is",
    ),
    "sum-overflows": (
        {"days": [{"date": "2026-01-01", "steps": [1e308, 1e308]}]},
        "2026-01-01: steps: its samples add up to more than any number can hold",
    ),
    "hae-metrics-not-list": ({"data": {"metrics": {}}}, "data.metrics must be a list"),
    "hae-bad-date": (
        {"data": {"metrics": [{"name": "step_count", "data": [{"qty": 5, "date": "yesterday"}]}]}},
        "step_count[0]: date 'yesterday'",
    ),
    "hae-nothing-usable": (
        {"data": {"metrics": [{"name": "active_energy", "data": []}]}},
        "none of the metrics",
    ),
    "hae-range": (
        {
            "data": {
                "metrics": [
                    {
                        "name": "resting_heart_rate",
                        "data": [{"qty": 500, "date": "2026-01-01 00:00:00 +0100"}],
                    }
                ]
            }
        },
        "2026-01-01: resting_hr 500 is outside",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_rejected_whole_and_changes_nothing(receive, name):
    payload, message = BAD[name]
    assert receive(example("multi-day")).returncode == 0
    before = receive.file.read_bytes()
    result = receive("-", payload=payload)
    assert result.returncode == 1
    assert message in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert all(line.startswith("receive_health_data.py: error: ") for line in lines)
    assert lines[-1].endswith("health.json is unchanged") and "Traceback" not in result.stderr
    assert receive.file.read_bytes() == before
    assert sorted(p.name for p in receive.data_dir.iterdir()) == ["health.json"]


def test_every_problem_of_a_payload_is_listed(receive):
    result = receive(
        "-",
        payload={
            "days": [
                {"date": "2026-01-01", "resting_hr": 5, "hrv_ms": 900},
                {"date": "2026-01-02", "spo2_pct": 20},
            ]
        },
    )
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 4
    assert not receive.file.exists()


def test_too_large_and_missing_input(receive, tmp_path):
    big = tmp_path / "big.json"
    big.write_text('{"days": [' + ",".join(['{"date": "2026-01-01", "steps": 1}'] * 200_000) + "]}")
    result = receive(big)
    assert result.returncode == 1 and "more than the 5,000,000 accepted" in result.stderr
    result = receive()
    assert result.returncode == 1 and "no input" in result.stderr
    result = receive(tmp_path / "nope.json")
    assert result.returncode == 1 and "cannot read" in result.stderr


def test_double_encoded_payload_is_decoded_once(receive):
    inner = json.loads(example("single-day").read_text())
    event = {"action": "health-data", "client_payload": json.dumps(inner)}
    assert receive("-", payload=event).returncode == 0
    assert receive.days()["2026-11-21"]["steps"] == 11234


def test_damaged_health_file_is_reported_not_overwritten(receive):
    receive.data_dir.mkdir()
    receive.file.write_text("{broken")
    result = receive(example("single-day"))
    assert result.returncode == 1 and "not valid JSON" in result.stderr
    assert receive.file.read_text() == "{broken"


def test_payload_strings_are_never_paths(receive, tmp_path):
    assert receive(example("single-day")).returncode == 0
    before = sorted(tmp_path.rglob("*"))
    payload = {"days": [{"date": "2026-11-20", "steps": 1}], "source": str(tmp_path / "x.json")}
    assert receive("-", payload=payload).returncode == 0
    assert receive("-", payload={"days": [{"date": "../../x", "steps": 1}]}).returncode == 1
    assert sorted(tmp_path.rglob("*")) == before


def test_examples_match_the_json_schema():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "schemas" / "health-payload-v1.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for name in ("single-day", "multi-day", "samples", "sleep-segments", "locked-phone"):
        validator.validate(json.loads(example(name).read_text()))
    for bad in ({"days": [{"date": "2026-01-01", "hrv": 1}]}, {"days": []}, {"steps": 5}):
        assert not validator.is_valid(bad)


def test_generated_backfill_is_accepted(receive, tmp_path):
    from coros_dashboard.emulator.shortcut_payloads import health_payload

    payload = health_payload(dt.date(2025, 1, 1), dt.date(2025, 3, 31), segments=True)
    assert receive("-", payload=payload).returncode == 0
    days = receive.days()
    assert len(days) == 90
    assert all(
        d["sleep_in_bed_min"] > d["sleep_asleep_min"]
        for d in days.values()
        if "sleep_in_bed_min" in d
    )


def test_workflow_dispatch_payload_input_is_read_from_the_event(receive, tmp_path):
    payload = json.loads(example("single-day").read_text())
    event = tmp_path / "event.json"
    event.write_text(
        json.dumps({"inputs": {"payload": json.dumps(payload)}, "ref": "refs/heads/main"})
    )
    result = receive(env={"GITHUB_EVENT_PATH": str(event)})
    assert result.returncode == 0, result.stderr
    assert receive.days()["2026-11-21"]["steps"] == 11234
    event.write_text(json.dumps({"inputs": {"payload": "not json"}}))
    result = receive(env={"GITHUB_EVENT_PATH": str(event)})
    assert (
        result.returncode == 1
        and "the payload input is a string, not a JSON object" in result.stderr
    )


def hae(*metrics):
    return {
        "data": {
            "metrics": [
                {"name": name, "units": units, "data": data} for name, units, data in metrics
            ]
        }
    }


def hae_sleep(start, end, **hours):
    return {
        "date": end[:10] + " 00:00:00 +0100",
        "sleepStart": start,
        "sleepEnd": end,
        "source": "Apple Watch",
        **hours,
    }


NIGHT = hae_sleep(
    "2026-11-19 23:41:00 +0100",
    "2026-11-20 07:31:00 +0100",
    deep=1.25,
    core=4.5,
    rem=2.0 + 1 / 12,
    awake=0.25,
    inBed=8.0,
    asleep=0,
    totalSleep=7 + 50 / 60,
)
NAP = hae_sleep(
    "2026-11-20 14:00:00 +0100",
    "2026-11-20 14:30:00 +0100",
    core=0.5,
    deep=0,
    rem=0,
    awake=0,
    inBed=0.5,
    asleep=0,
    totalSleep=0.5,
)


@pytest.mark.parametrize("order", [(NIGHT, NAP), (NAP, NIGHT)], ids=["nap-last", "nap-first"])
def test_a_nap_never_replaces_the_night_aggregated(receive, order):
    assert receive("-", payload=hae(("sleep_analysis", "hr", list(order)))).returncode == 0
    night = receive.days()["2026-11-20"]
    assert (
        night["sleep_asleep_min"] == 470
        and night["sleep_deep_min"] == 75
        and night["sleep_nap_min"] == 30
    )
    assert night["sleep_end"] == "2026-11-20T07:31:00+01:00"


def test_a_nap_never_replaces_the_night_segments(receive):
    segments = [
        {"stage": "Core", "start": "2026-11-19T23:41:00+01:00", "end": "2026-11-20T03:00:00+01:00"},
        {"stage": "Deep", "start": "2026-11-20T03:00:00+01:00", "end": "2026-11-20T04:15:00+01:00"},
        {"stage": "REM", "start": "2026-11-20T04:15:00+01:00", "end": "2026-11-20T07:31:00+01:00"},
        {"stage": "Core", "start": "2026-11-20T14:00:00+01:00", "end": "2026-11-20T14:30:00+01:00"},
    ]
    assert (
        receive("-", payload={"days": [{"date": "2026-11-20", "sleep": segments}]}).returncode == 0
    )
    night = receive.days()["2026-11-20"]
    assert night["sleep_asleep_min"] == 470 and night["sleep_nap_min"] == 30
    assert (
        night["sleep_start"] == "2026-11-19T23:41:00+01:00"
        and night["sleep_end"] == "2026-11-20T07:31:00+01:00"
    )


def test_a_night_split_across_two_days_lists_is_one_night(receive):
    first = [
        {"stage": "Core", "start": "2026-11-19T23:00:00+01:00", "end": "2026-11-20T01:00:00+01:00"}
    ]
    second = [
        {"stage": "Core", "start": "2026-11-20T01:00:00+01:00", "end": "2026-11-20T06:00:00+01:00"}
    ]
    payload = {
        "days": [{"date": "2026-11-19", "sleep": first}, {"date": "2026-11-20", "sleep": second}]
    }
    assert receive("-", payload=payload).returncode == 0
    assert (
        receive.days()["2026-11-20"]["sleep_asleep_min"] == 420
        and "2026-11-19" not in receive.days()
    )


def test_all_zero_stages_of_an_iphone_only_night_are_unknown_not_zero(receive, tmp_path):
    from coros_dashboard.site.frames import load_frames
    from coros_dashboard.site.metrics import sleep_nights

    nights = [
        {"date": f"2026-11-{d:02d}", "sleep": {"deep": 60, "core": 300, "rem": 84, "in_bed": 470}}
        for d in range(14, 20)
    ]
    nights.append(
        {"date": "2026-11-20", "sleep": {"deep": 0, "core": 0, "rem": 0, "awake": 0, "in_bed": 474}}
    )
    assert receive("-", payload={"days": nights}).returncode == 0
    assert receive.days()["2026-11-20"] == {"date": "2026-11-20", "sleep_in_bed_min": 474}
    mean_hours = sleep_nights(load_frames(receive.data_dir).health)["total_min"].mean() / 60
    assert round(mean_hours, 2) == 7.47  # stored as zeros it would be 6.34 h
    aggregated = hae(
        (
            "sleep_analysis",
            "hr",
            [
                hae_sleep(
                    "2026-11-20 23:00:00 +0100",
                    "2026-11-21 06:54:00 +0100",
                    deep=0,
                    core=0,
                    rem=0,
                    awake=0,
                    asleep=0,
                    totalSleep=0,
                    inBed=7.9,
                )
            ],
        )
    )
    assert receive("-", payload=aggregated).returncode == 0
    night = receive.days()["2026-11-21"]
    assert night["sleep_in_bed_min"] == 474 and not {"sleep_deep_min", "sleep_asleep_min"} & set(
        night
    )


def test_an_empty_follow_up_push_is_success_with_nothing_to_merge(receive):
    assert receive(example("multi-day")).returncode == 0
    before = receive.file.read_bytes()
    result = receive("-", payload=hae(("sleep_analysis", "hr", [])))
    assert result.returncode == 0 and "nothing to merge" in result.stdout
    assert receive.file.read_bytes() == before
    result = receive("-", payload=hae(("active_energy", "kcal", [])))
    assert result.returncode == 1 and "none of the metrics" in result.stderr


@pytest.mark.parametrize(
    "payload, message",
    [
        (
            {"days": [{"date": "2026-11-20", "hrv_ms": [{"v": 50}]}]},
            "2026-11-20: hrv_ms: a sample object needs",
        ),
        (
            {"days": [{"date": "2026-11-20", "resting_hr": {"Value": 52}}]},
            "2026-11-20: resting_hr: a sample object",
        ),
        (
            hae(
                (
                    "resting_heart_rate",
                    "count/min",
                    [{"date": "2026-11-20 00:00:00 +0100", "Avg": 52}],
                )
            ),
            "resting_heart_rate[0]: expected a 'qty'",
        ),
        (
            hae(
                (
                    "step_count",
                    "count",
                    [{"date": "2026-11-20 00:00:00 +0100", "qty": 5, "qtty": 6}],
                )
            ),
            "step_count[0]: expected a 'qty'",
        ),
        (
            {"days": [{"date": "2026-11-20", "steps": 5}, {"date": "2026-11-20", "steps": 6}]},
            "2026-11-20: the date is given 2 times in this payload",
        ),
        ({"days": [{"date": "2026-11-20", "steps": "1.234,5"}]}, "steps '1.234,5' is not a number"),
    ],
)
def test_nothing_is_dropped_or_replaced_silently(receive, payload, message):
    result = receive("-", payload=payload)
    assert result.returncode == 1 and message in result.stderr, result.stderr
    assert not receive.file.exists()


def test_thousands_separators_and_decimal_commas_are_read_by_one_rule(receive):
    payload = {
        "days": [{"date": "2026-11-20", "steps": "11,234", "hrv_ms": "56,8", "resting_hr": "1,050"}]
    }
    result = receive("-", payload=payload)
    assert (
        "resting_hr 1050 is outside" in result.stderr
    )  # 1,050 is one thousand and fifty, never 1.05
    payload["days"][0].pop("resting_hr")
    assert receive("-", payload=payload).returncode == 0
    assert (
        receive.days()["2026-11-20"]["steps"] == 11234
        and receive.days()["2026-11-20"]["hrv_ms"] == 56.8
    )


@pytest.mark.parametrize(
    "text",
    [
        '{"days": [{"date": "2026-11-20", "sleep_note": "' + "x" * 4_000_000 + '"}]}',
        '{"days": [{"date": "2026-11-20", "steps": "' + "9" * 4_000_000 + '"}]}',
        "[" * 100_000 + "]" * 100_000,
        '{"days": [{"date": "2026-11-20", "steps": ' + "9" * 5000 + "}]}",
    ],
)
def test_huge_or_deep_input_gives_short_lines_not_a_traceback(receive, text):
    result = receive("-", payload=text)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert all(len(line) < 200 for line in result.stderr.splitlines()), result.stderr[:500]


def test_the_health_auto_export_chain_of_the_guide_is_accepted(receive):
    """HAE's day-aggregated JSON as the workflow's payload input: what the guide's chain sends."""
    result = receive(env={"GITHUB_EVENT_PATH": str(example("workflow-dispatch-event"))})
    assert result.returncode == 0, result.stderr
    day = receive.days()["2026-11-21"]
    assert day["sleep_deep_min"] == 63 and day["steps"] == 10600 and day["hrv_ms"] == 48.5
    empty_follow_up = {"inputs": {"payload": json.dumps(hae(("sleep_analysis", "hr", [])))}}
    result = receive("-", payload=empty_follow_up)
    assert result.returncode == 0 and "nothing to merge" in result.stdout


def test_a_sleep_longer_than_a_day_built_from_chained_segments_is_refused(receive):
    """Each segment is under 24 h, but together they make one 30-hour 'night' health.json may not
    hold."""
    start = dt.datetime(2026, 11, 18, 0, 0, tzinfo=dt.UTC)
    segments = [
        {
            "stage": "Core",
            "start": (start + dt.timedelta(hours=10 * i)).isoformat(),
            "end": (start + dt.timedelta(hours=10 * (i + 1))).isoformat(),
        }
        for i in range(3)
    ]
    result = receive("-", payload={"days": [{"date": "2026-11-19", "sleep": segments}]})
    assert result.returncode == 1 and "sleep_core_min 1800 is outside 0…1440" in result.stderr
    assert not receive.file.exists()


def test_thousands_of_problems_are_shown_capped(receive):
    days = [{"date": f"2026-11-{d:02d}", "steps": "many"} for d in range(1, 21)]
    days += [{"date": "2026-10-01", "hrv_ms": [-1] * 20} for _ in range(1)]
    result = receive("-", payload={"days": days * 5})
    assert result.returncode == 1 and not receive.file.exists()
    lines = result.stderr.splitlines()
    assert len(lines) == 52, result.stderr  # 50 problems, how many more, and the refusal
    assert re.fullmatch(r"receive_health_data\.py: error: and \d+ more", lines[50])
    assert lines[-1].endswith("payload rejected; " + str(receive.file) + " is unchanged")
