"""fetch_coros.py run as a subprocess against the emulator over real HTTP."""

import datetime as dt
import json

import pytest
from support import DEMO_PASSWORD, md5, snapshot

from coros_dashboard.emulator import Fault


def load(path, key):
    return json.loads(path.read_text())[key]


def test_first_sync_stores_every_activity_once_with_local_dates(emulator, fetch):
    result = fetch()
    assert result.returncode == 0, result.stderr
    raw = emulator.athlete.visible_activities()
    stored = load(fetch.data_dir / "activities.json", "activities")
    assert len(stored) == len(raw) > 900
    assert len({a["id"] for a in stored}) == len(stored)
    raw_dates = {a["labelId"]: str(a["date"]) for a in raw}
    assert all(a["date"].replace("-", "") == raw_dates[a["id"]] for a in stored)
    # the test means something only if some local dates differ from the UTC date
    utc_differs = [
        a
        for a in stored
        if dt.datetime.fromisoformat(a["start_local"]).astimezone(dt.UTC).date().isoformat()
        != a["date"]
    ]
    assert len(utc_differs) > 10
    offsets = {a["start_local"][-6:] for a in stored}
    assert {"+01:00", "+02:00"} < offsets and len(offsets) >= 4
    assert f"activities: {len(raw)} new" in result.stdout


def test_first_sync_backfills_daily_history_and_keeps_profile_impersonal(emulator, fetch):
    assert fetch().returncode == 0
    days = load(fetch.data_dir / "daily.json", "days")
    first_activity = min(a["date"] for a in load(fetch.data_dir / "activities.json", "activities"))
    assert days[0]["date"] == first_activity
    assert days[-1]["date"] == emulator.athlete.today.isoformat()
    assert len(days) > 84 * 10
    assert all("resting_hr" in d and "sleep_hrv_ms" in d for d in days)
    assert "race_5k_s" in days[-1]
    everything = "".join(p.read_text() for p in fetch.data_dir.iterdir())
    for personal in (
        "demo@example.com",
        "Demo Runner",
        "19880412",
        "birthday",
        "nickname",
        "weight",
    ):
        assert personal not in everything
    profile = json.loads((fetch.data_dir / "profile.json").read_text())
    assert profile["units"] == "metric" and profile["version"] == 1
    assert set(profile["race_predictions"]) == {
        "race_5k_s",
        "race_10k_s",
        "race_half_s",
        "race_marathon_s",
    }


def test_coros_current_values_become_a_history_one_fetch_at_a_time(emulator, fetch):
    """dashboard/query gives today's scores, thresholds, stamina and recovery only: each fetch
    stores them on its day, so a second day's fetch leaves two days of them."""
    fields = ("aerobic_endurance_score", "threshold_capacity_score", "anaerobic_capacity_score",
              "anaerobic_endurance_score", "recovery_pct", "full_recovery_h", "lthr")  # fmt: skip
    assert fetch().returncode == 0
    emulator.athlete.advance(1)
    assert fetch().returncode == 0
    days = load(fetch.data_dir / "daily.json", "days")
    stored = [d for d in days if "aerobic_endurance_score" in d]
    assert [d["date"] for d in stored] == [
        (emulator.athlete.today - dt.timedelta(days=1)).isoformat(),
        emulator.athlete.today.isoformat(),
    ]
    assert all(field in d for d in stored for field in fields)
    assert all(0 < d["recovery_pct"] <= 100 for d in stored)


def test_files_are_deterministic_and_an_unchanged_run_rewrites_nothing(emulator, fetch):
    fetch.seed()
    before = snapshot(fetch.data_dir)
    mtimes = {p: p.stat().st_mtime_ns for p in fetch.data_dir.iterdir()}
    assert fetch().returncode == 0
    assert snapshot(fetch.data_dir) == before
    assert {p: p.stat().st_mtime_ns for p in fetch.data_dir.iterdir()} == mtimes
    text = (fetch.data_dir / "activities.json").read_text()
    assert text.endswith("}\n") and text.startswith('{\n  "activities": [\n    {\n      "')


def test_daily_run_with_two_new_activities_makes_at_most_six_requests(emulator, fetch):
    """Login, account, one activity page, the training schedule, analysis, dashboard."""
    fetch.seed()
    emulator.athlete.add_activities(2)
    emulator.clear_requests()
    result = fetch()
    assert result.returncode == 0, result.stderr
    assert emulator.count() <= 6
    assert "2 new" in result.stdout
    ids = {a["id"] for a in load(fetch.data_dir / "activities.json", "activities")}
    assert {a["labelId"] for a in emulator.athlete.activities[-2:]} <= ids


def test_renamed_activity_in_the_overlap_is_updated(emulator, fetch):
    fetch.seed()
    newest = emulator.athlete.visible_activities()[1]
    newest["name"] = "Renamed on COROS"
    result = fetch()
    assert "1 updated" in result.stdout
    stored = {a["id"]: a for a in load(fetch.data_dir / "activities.json", "activities")}
    assert stored[newest["labelId"]]["name"] == "Renamed on COROS"


def test_deleted_activity_is_dropped_when_its_days_are_re_read(emulator, fetch):
    fetch.seed()
    acts = emulator.athlete.activities
    recent = emulator.athlete.visible_activities()[0]
    old = emulator.athlete.visible_activities()[-1]
    acts.remove(recent)
    acts.remove(old)
    result = fetch()
    assert "1 removed" in result.stdout
    ids = {a["id"] for a in load(fetch.data_dir / "activities.json", "activities")}
    assert recent["labelId"] not in ids and old["labelId"] in ids  # old one: outside the overlap
    result = fetch("--full")
    assert "1 removed" in result.stdout
    assert old["labelId"] not in {
        a["id"] for a in load(fetch.data_dir / "activities.json", "activities")
    }


def test_moving_window_grows_daily_history_and_keeps_old_days(emulator, fetch):
    fetch.seed()
    before = {d["date"]: d for d in load(fetch.data_dir / "daily.json", "days")}
    emulator.athlete.advance(30)
    emulator.clear_requests()
    assert fetch().returncode == 0
    after = {d["date"]: d for d in load(fetch.data_dir / "daily.json", "days")}
    assert len(after) == len(before) + 30
    assert all(after[d] == rec for d, rec in before.items() if d < "2026-11-01")
    assert emulator.count("analyse/dayDetail/query") == 0


def test_a_long_pause_is_backfilled_from_day_detail(emulator, fetch):
    fetch.seed()
    before = len(load(fetch.data_dir / "daily.json", "days"))
    emulator.athlete.advance(110)  # longer than the 84-day analysis window
    assert fetch().returncode == 0
    assert len(load(fetch.data_dir / "daily.json", "days")) == before + 110
    assert emulator.count("analyse/dayDetail/query") >= 1


def test_since_re_reads_from_a_date(emulator, fetch):
    fetch.seed()
    emulator.clear_requests()
    assert fetch("--since", "2026-01-01").returncode == 0
    since_january = [a for a in emulator.athlete.visible_activities() if a["date"] >= 20260101]
    assert emulator.count("activity/query") == len(since_january) // 100 + 1
    assert emulator.count("analyse/dayDetail/query") == 2  # 326 days in 168-day spans


def test_day_detail_error_code_falls_back_to_the_analysis_window(emulator, fetch):
    emulator.faults.append(Fault("analyse/dayDetail/query", kind="code", code="5001", times=None))
    result = fetch()
    assert result.returncode == 0, result.stderr
    assert "day detail unavailable (code 5001)" in result.stdout
    assert len(load(fetch.data_dir / "daily.json", "days")) == 84


@pytest.mark.parametrize(
    "fault",
    [
        Fault("activity/query", "status", {"pageNumber": 1}, times=None, status=503),
        Fault("activity/query", "status", {"pageNumber": 3}, times=None, status=500),
        Fault("activity/query", "stall", {"pageNumber": 2}, times=None, seconds=5),
        Fault("activity/query", "malformed", {"pageNumber": 9}),
        Fault("analyse/query", "status", times=None, status=502),
        Fault("analyse/dayDetail/query", "stall", {"endDay": "20270310"}, times=None, seconds=5),
        Fault("analyse/dayDetail/query", "malformed", {"endDay": "20260923"}),
        Fault("account/query", "code", code="9999"),
    ],
    ids=lambda f: f"{f.kind}-{f.path}-{f.params}",
)
def test_failure_mid_sync_leaves_data_byte_identical(emulator, fetch, fault):
    fetch.seed()
    emulator.athlete.add_activities(3)
    emulator.athlete.advance(108)  # the next sync has new days and activities to merge
    before = snapshot(fetch.data_dir)
    emulator.faults.append(fault)
    # a stall is about a timeout; whichever request times out, the run must fail and change nothing
    result = fetch("--full", **({"COROS_TIMEOUT": "0.25"} if fault.kind == "stall" else {}))
    assert result.returncode != 0
    assert snapshot(fetch.data_dir) == before
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 or lines[-1].startswith("fetch_coros.py: error:")
    assert lines[-1].startswith("fetch_coros.py: error: ") and "Traceback" not in result.stderr
    assert not list(fetch.data_dir.glob(".*.tmp"))


def test_first_run_failure_writes_no_files(emulator, fetch):
    emulator.faults.append(Fault("activity/query", "status", {"pageNumber": 2}, times=None))
    result = fetch()
    assert result.returncode == 1
    assert not fetch.data_dir.exists() or not any(fetch.data_dir.iterdir())
    assert "HTTP 500 on activity/query" in result.stderr


def test_transient_server_errors_are_retried(emulator, fetch):
    emulator.faults.append(
        Fault("activity/query", "status", {"pageNumber": 2}, times=2, status=503)
    )
    result = fetch()
    assert result.returncode == 0, result.stderr
    pages = -(-len(emulator.athlete.visible_activities()) // 100)
    assert emulator.count("activity/query") == pages + 2


def test_wrong_password_makes_one_login_and_never_shows_the_secret(emulator, fetch):
    secret = "hunter2-very-secret"
    result = fetch(password=secret)
    assert result.returncode == 1
    assert emulator.count("account/login") == 1 and emulator.count() == 1
    output = result.stdout + result.stderr
    assert "code 1030" in output and "COROS_PASSWORD" in output
    assert secret not in output and md5(secret) not in output
    assert not fetch.data_dir.exists()


def test_token_is_never_printed(emulator, fetch):
    result = fetch()
    token = emulator.athlete.token
    assert token and token not in result.stdout + result.stderr
    assert DEMO_PASSWORD not in result.stdout + result.stderr
    assert not any(token in p.read_text() for p in fetch.data_dir.iterdir())


def test_expired_token_mid_sync_logs_in_once_more_and_completes(emulator, fetch):
    emulator.faults.append(Fault("activity/query", "code", {"pageNumber": 5}, code="1019"))
    result = fetch()
    assert result.returncode == 0, result.stderr
    assert emulator.count("account/login") == 2
    assert len(load(fetch.data_dir / "activities.json", "activities")) == len(
        emulator.athlete.visible_activities()
    )


def test_token_refused_twice_is_a_clear_error(emulator, fetch):
    emulator.faults.append(Fault("account/query", "code", code="1019", times=None))
    result = fetch()
    assert result.returncode == 1
    assert emulator.count("account/login") == 2
    assert "code 1019" in result.stderr and "COROS_REGION" in result.stderr


def test_seed_athlete_keeps_unknown_sports_and_us_time_zones(emulator, fetch):
    result = fetch(email="seed@example.com", password="seed-password")
    assert result.returncode == 0, result.stderr
    stored = load(fetch.data_dir / "activities.json", "activities")
    assert len(stored) == 330
    sports = {a["sport"] for a in stored}
    assert {"Yoga", "Padel", "Hybrid Fitness", "Run", "Hike"} <= sports
    assert {a["start_local"][-6:] for a in stored} == {"-06:00", "-07:00"}
    profile = json.loads((fetch.data_dir / "profile.json").read_text())
    assert profile["units"] == "imperial"


@pytest.mark.parametrize(
    "env, message",
    [
        ({"COROS_EMAIL": ""}, "COROS_EMAIL and COROS_PASSWORD"),
        ({"COROS_REGION": "mars"}, "COROS_REGION must be one of"),
        ({"COROS_PASSWORD": "", "COROS_PASSWORD_MD5": "xyz"}, "32 hex digits"),
        ({"COROS_API_BASE": "http://example.com"}, "must be an https:// URL"),
        ({"COROS_API_BASE": "http://127.0.0.1:9"}, "could not be reached"),
    ],
)
def test_configuration_and_network_errors_are_one_line(fetch, env, message):
    result = fetch(**env)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and message in result.stderr


def test_help_and_bad_arguments(fetch):
    assert "--full" in fetch("--help").stdout
    result = fetch("--since", "22/11/2026")
    assert result.returncode == 2 and "expected YYYY-MM-DD" in result.stderr
