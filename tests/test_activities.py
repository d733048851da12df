import datetime as dt

from coros_dashboard.activities import merge_activities, normalize_activity


def item(**kw):
    base = {"labelId": "1", "sportType": 100, "name": "Run", "startTime": 1787144400,
            "startTimezone": -24, "distance": 3942.94, "workoutTime": 1373, "totalTime": 1400,
            "calorie": 302000, "date": 20260819}
    return {**base, **kw}


def test_local_time_comes_from_the_activity_time_zone():
    rec = normalize_activity(item())
    assert rec["start_local"] == "2026-08-19T07:00:00-06:00" and rec["date"] == "2026-08-19"
    tokyo = normalize_activity(item(startTime=1787172300, startTimezone=36))  # 20:45 UTC on the 19th
    assert tokyo["start_local"] == "2026-08-20T05:45:00+09:00" and tokyo["date"] == "2026-08-20"
    india = normalize_activity(item(startTimezone=22))
    assert india["start_local"].endswith("+05:30")


def test_units_are_normalized_and_unknown_sports_kept():
    rec = normalize_activity(item(sportType=1200, avgHr="151", ascent=None))
    assert rec["kcal"] == 302 and rec["distance_m"] == 3942.9 and rec["moving_s"] == 1373
    assert rec["sport"] == "Other (1200)" and rec["sport_code"] == 1200 and rec["avg_hr"] == 151
    assert "ascent_m" not in rec


def test_items_without_id_or_time_are_skipped():
    assert normalize_activity(item(labelId="")) is None
    assert normalize_activity(item(startTime=None, date=None)) is None
    assert normalize_activity(item(startTime=None))["date"] == "2026-08-19"


def rec(i, date):
    return {"id": str(i), "date": date, "start_local": f"{date}T07:00:00+00:00"}


def test_merge_reports_new_updated_and_removed_within_the_covered_span():
    stored = [rec(1, "2026-01-01"), rec(2, "2026-02-01"), rec(3, "2026-03-01")]
    fetched = [rec(3, "2026-03-01") | {"name": "x"}, rec(4, "2026-03-02")]
    merged, new, updated, removed = merge_activities(stored, fetched, "2026-02-01", True)
    assert [r["id"] for r in merged] == ["1", "3", "4"]
    assert (new, updated, removed) == ({"4"}, {"3"}, {"2"})


def test_merge_never_removes_on_an_incomplete_listing():
    stored = [rec(1, "2026-01-01")]
    merged, _, _, removed = merge_activities(stored, [], None, False)
    assert merged == stored and removed == set()


def test_merge_orders_by_local_date_then_instant():
    a = rec(1, "2026-01-02") | {"start_local": "2026-01-02T06:00:00+09:00"}
    b = rec(2, "2026-01-01") | {"start_local": "2026-01-01T23:00:00-05:00"}
    merged, *_ = merge_activities([], [a, b], None, True)
    assert [r["id"] for r in merged] == ["2", "1"]
    assert dt.datetime.fromisoformat(b["start_local"]) > dt.datetime.fromisoformat(a["start_local"])
