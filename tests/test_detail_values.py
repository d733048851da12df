"""Values checked where a detail enters: what COROS or a FIT file says outside any plausible range
is left out, a sample that cannot be placed in time is dropped, and no list grows without bound."""

from support import rows

from coros_dashboard.coros.details import build_detail, checked_samples
from coros_dashboard.coros.fit import Recording
from coros_dashboard.privacy import Privacy
from coros_dashboard.store.datafiles import MAX_LAPS, MAX_ZONES

RECORD = {"id": "4201", "date": "2026-11-20", "sport_code": 100}


def sample(t, d=None, **values):
    base = {
        "t": t,
        "lat": None,
        "lon": None,
        "d": d,
        "hr": None,
        "v": None,
        "alt": None,
        "cad": None,
        "pw": None,
    }
    return base | values


def detail(summary=None, weather=None, laps=(), zones=()):
    return {
        "summary": summary or {},
        "weather": weather or {},
        "laps": list(laps),
        "hr_zones": list(zones),
    }


def test_summary_and_weather_values_outside_their_ranges_are_left_out():
    doc = build_detail(
        RECORD,
        detail(
            summary={"aerobicEffect": -3, "anaerobicEffect": 2.5, "avgPower": 1e30},
            weather={"temperature": -1e9, "humidity": 500, "windSpeed": 3},
        ),
        Recording.empty(),
        Privacy(),
    )
    assert doc["summary"] == {"anaerobic_effect": 2.5}
    assert doc["weather"] == {"wind_m_per_s": 3}


def test_a_lap_of_negative_time_keeps_only_what_is_plausible():
    doc = build_detail(
        RECORD,
        detail(laps=[{"distance": 1000, "time": -300, "avgHr": 150}]),
        Recording.empty(),
        Privacy(),
    )
    assert doc["laps"] == [{"distance_m": 1000, "avg_hr": 150}]


def test_laps_and_zones_are_capped():
    laps = [{"distance": 1, "time": 1}] * 250_000
    zones = [{"zoneIndex": 1, "leftScope": 100, "rightScope": 120, "second": 1}] * 100_000
    doc = build_detail(RECORD, detail(laps=laps, zones=zones), Recording.empty(), Privacy())
    assert len(doc["laps"]) == MAX_LAPS and len(doc["hr_zones"]) == MAX_ZONES


def test_samples_going_back_in_time_or_out_of_range_are_dropped_or_not_measured():
    samples = [
        sample(0, 0, hr=120),
        sample(10, 30, hr=121, pw=1e30, alt=-1e9),
        sample(5, 31),  # a timestamp going backwards: a -5 s split if kept
        sample(20, 21_306_000),  # 21,306 km
        sample(30, 90, hr=300, v=5.0),
    ]
    kept = rows(checked_samples(Recording.from_rows(samples)))
    assert [s["t"] for s in kept] == [0, 10, 20, 30]
    assert kept[1]["pw"] is None and kept[1]["alt"] is None and kept[1]["hr"] == 121
    assert kept[2]["d"] is None and kept[3]["hr"] is None and kept[3]["v"] == 5.0
    doc = build_detail(RECORD, detail(), Recording.from_rows(samples), Privacy())
    assert all(s >= 0 for s in doc.get("splits_s", {}).get("km", []))
    assert max(d for d in doc["stream"]["d"] if d is not None) < 1000
