"""Activity details: fetched within a budget after the summary sync, masked before they are
written."""

import datetime as dt
import gzip
import json
import math
import re
import shutil
import time

import numpy as np
import polyline
import pytest
from support import TODAY, emulator_env, run_in_process, run_script, snapshot

from coros_dashboard.coros.client import Phase, fetch_file
from coros_dashboard.coros.details import splits, zones_from_stream
from coros_dashboard.coros.fit import Recording, downsample, parse_fit
from coros_dashboard.emulator import Emulator, Fault, synthetic_athlete
from coros_dashboard.emulator.activity_files import stream
from coros_dashboard.errors import DashboardError
from coros_dashboard.geo import metres_between

DETAIL = "activity/detail/query"


def emulated(data_dir):
    athlete = synthetic_athlete(years=0.03, seed=21, today=TODAY)
    emu = Emulator([athlete])
    emu.athlete, emu.data_dir = athlete, data_dir

    def fetch(*args, **env):
        return run_in_process(
            "fetch_coros.py",
            "--data-dir",
            emu.data_dir,
            "--today",
            TODAY,
            *args,
            env=emulator_env(emu, **env),
        )

    emu.fetch = fetch
    return emu


@pytest.fixture
def world(tmp_path):
    with emulated(tmp_path / "data") as emu:
        yield emu


@pytest.fixture(scope="module")
def backfilled(tmp_path_factory):
    """Every detail of the athlete fetched once, with a private zone on the first run's loop."""
    with emulated(tmp_path_factory.mktemp("backfilled") / "data") as emu:
        runs = [a for a in emu.athlete.visible_activities() if a["sportType"] == 100][:4]
        first = stream(runs[0])
        emu.zone = (first[len(first) // 3][1], first[len(first) // 3][2], 400)
        env = {
            "PRIVACY_ZONES": f"{emu.zone[0]:.6f},{emu.zone[1]:.6f},{emu.zone[2]}",
            "PRIVACY_TRIM_M": "300",
        }
        result = emu.fetch("--detail-budget", 40, **env)
        assert result.returncode == 0, result.stderr
        emu.runs = runs
        yield emu


def route_points(doc: dict) -> list:
    """Every stored point of a route, all its segments together."""
    return [p for segment in doc.get("route", []) for p in polyline.decode(segment, 5)]


def details(world) -> dict:
    return {
        p.stem: json.loads(p.read_text()) for p in (world.data_dir / "details").glob("*/*.json")
    }


def test_a_budget_of_n_stores_n_and_later_runs_finish_without_asking_twice(world):
    result = world.fetch("--detail-budget", 3)
    assert result.returncode == 0, result.stderr
    total = len(world.athlete.visible_activities())
    assert len(details(world)) == 3 and world.count(DETAIL) == 3
    assert (
        f"details: 3 fetched, 3 of {total} stored, ~{math.ceil((total - 3) / 3)} runs to go"
        in result.stdout
    )
    newest = {a["labelId"] for a in world.athlete.visible_activities()[:3]}
    assert set(details(world)) == newest  # newest first
    assert world.fetch("--detail-budget", 100).returncode == 0
    asked = [q["labelId"] for _, p, q in world.requests if p == DETAIL]
    assert len(asked) == len(set(asked)) == total and len(details(world)) == total
    before = world.count(DETAIL)
    assert "details: 0 fetched" in world.fetch("--detail-budget", 100).stdout
    assert world.count(DETAIL) == before


def test_the_token_never_reaches_the_file_host(world):
    assert world.fetch("--detail-budget", 2).returncode == 0
    assert len(world.downloads) == 2
    for _, headers in world.downloads:
        names = {name.lower() for name in headers}
        assert not {"accesstoken", "yfheader", "authorization", "cookie"} & names
        assert world.athlete.token not in json.dumps(headers)


@pytest.mark.parametrize(
    "fault, message",
    [
        (Fault(DETAIL, "code", code="5001"), "code 5001"),
        (Fault("fit", "status", status=503), "HTTP 503"),
        (Fault("fit", "edit", edit=lambda data: data[: len(data) // 2]), "damaged or cut short"),
        (Fault("fit", "edit", edit=lambda data: b"not a fit file"), "not a FIT file"),
        (
            Fault("fit", "raw", status=302, headers={"Location": "http://127.0.0.1:9/elsewhere"}),
            "redirect; not followed",
        ),
        (Fault("fit", "raw", status=200, body=b"0" * 21_000_000), "larger than 20 MB"),
        (
            Fault("fit", "stall", seconds=600),
            "failed (ReadTimeout)",
        ),  # released when the emulator stops
    ],
)
def test_a_failing_detail_is_retried_later_and_costs_nothing_else(world, fault, message):
    world.faults.append(fault)
    # a stall is about a timeout: 10 s against a stall that outlasts the run, 60 s elsewhere
    result = world.fetch(
        "--detail-budget", 3, **({"COROS_TIMEOUT": "10"} if fault.kind == "stall" else {})
    )
    assert result.returncode == 0, result.stderr
    assert "1 failed (each tried again in its turn" in result.stdout and message in result.stdout
    assert len(details(world)) == 2
    activities = json.loads((world.data_dir / "activities.json").read_text())["activities"]
    assert len(activities) == len(
        world.athlete.visible_activities()
    )  # the summary sync is complete
    (retry,) = retries(world)
    assert retry["tries"] == 1 and retry["last"] == TODAY.isoformat()
    before = snapshot(world.data_dir)
    result = world.fetch("--detail-budget", 1)  # the same day: another detail, not the failed one
    assert "details: 1 fetched" in result.stdout and len(details(world)) == 3
    assert retry["id"] not in details(world) and retries(world) == [retry]
    after = snapshot(world.data_dir)
    assert {k: v for k, v in after.items() if k in before} == before  # nothing stored touched
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    result = world.fetch("--detail-budget", 1, "--today", tomorrow)  # due: behind the others
    assert retry["id"] not in details(world)
    budget = len(world.athlete.visible_activities())
    result = world.fetch("--detail-budget", budget, "--today", tomorrow)
    assert retry["id"] in details(world) and not retries(world), result.stdout


def retries(world) -> list:
    path = world.data_dir / "details" / "retries.json"
    return json.loads(path.read_text())["retries"] if path.exists() else []


def test_a_detail_that_keeps_failing_never_starves_the_others(world):
    """The newest activity's detail answer drips on every run (one byte every 50 ms of a
    kilobyte: the whole phase, were it allowed): it costs a share of one run, then waits."""
    newest = world.athlete.visible_activities()[0]["labelId"]
    world.faults.append(Fault(DETAIL, "drip", {"labelId": newest}, times=None, seconds=0.05))
    started = time.monotonic()
    result = world.fetch("--detail-budget", 5, COROS_DETAIL_DEADLINE="10")
    assert time.monotonic() - started < 60  # ends within its deadline, not the drip's minutes
    assert result.returncode == 0, result.stderr
    assert "details: 4 fetched" in result.stdout and "1 failed" in result.stdout
    assert "share of the detail phase's 10 s (COROS_DETAIL_DEADLINE)" in result.stdout
    result = world.fetch("--detail-budget", 5, COROS_DETAIL_DEADLINE="10")
    assert "details: 4 fetched, 8 of 9 stored" in result.stdout and newest not in details(world)
    assert "1 failed earlier (tried again in their turn)" in result.stdout


def test_no_stored_coordinate_is_near_a_start_finish_or_inside_a_private_zone(backfilled):
    world, zone, runs = backfilled, backfilled.zone, backfilled.runs
    first = stream(runs[0])
    stored, checked = details(world), 0
    for item in world.athlete.visible_activities():
        doc = stored[item["labelId"]]
        points = stream(item)
        if "route" not in doc:
            assert points == [] or points[0][1] is None or len(points) < 3
            continue
        route = route_points(doc)
        start, finish = (points[0][1], points[0][2]), (points[-1][1], points[-1][2])
        for p in route:
            assert metres_between(p, start) > 295 and metres_between(p, finish) > 295
            assert metres_between(p, zone[:2]) > zone[2] - 5
        assert "lat" not in json.dumps(doc.get("stream", {}))
        checked += 1
    assert checked >= 4
    first_route = route_points(stored[runs[0]["labelId"]])
    assert (
        len(first_route) < len(downsample(np.array([p[0] for p in first]))) - 10
    )  # the zone really cut points


def test_no_drawn_coordinate_is_near_a_start_finish_or_inside_a_private_zone(backfilled, tmp_path):
    """The route on each activity page, mapped back to the map, keeps the zone and the trim."""
    world, zone = backfilled, backfilled.zone
    site = tmp_path / "site"
    assert (
        run_in_process("build_site.py", "--data-dir", world.data_dir, "--site-dir", site).returncode
        == 0
    )
    stored, drawn = details(world), 0
    for item in world.athlete.visible_activities():
        html = (site / "activities" / f"{item['labelId']}.html").read_text()
        drawn_lines = re.findall(r'<polyline [^>]*points="([\d,]+)"', html)
        if "route" not in stored[item["labelId"]]:
            assert drawn_lines == []
            continue
        segments = [np.array(polyline.decode(s, 5)) for s in stored[item["labelId"]]["route"]]
        assert len(drawn_lines) == len(segments)  # a gap stays a gap
        route = np.concatenate(segments)
        xy = np.concatenate(
            [
                np.array([int(v) for v in line.split(",")]).reshape(-1, 2) / 10
                for line in drawn_lines
            ]
        )
        assert len(xy) == len(route)
        # undo the page's projection (8 px margin, metres square, north up) from the route's
        # bounding box
        scale_x = math.cos(math.radians(route[:, 0].mean()))
        span = max(np.ptp(route[:, 1]) * scale_x, np.ptp(route[:, 0]))
        lon = route[:, 1].min() + (xy[:, 0] - 8) / 304 * span / scale_x
        lat = route[:, 0].max() - (xy[:, 1] - 8) / 304 * span
        points = stream(item)
        ends = [(points[0][1], points[0][2]), (points[-1][1], points[-1][2])]
        for p in zip(lat, lon, strict=True):
            assert metres_between(p, zone[:2]) > zone[2] - 5
            assert all(metres_between(p, end) > 295 for end in ends)
        drawn += 1
    assert drawn >= 4


def test_a_treadmill_run_gets_its_charts_and_no_route_or_empty_chart(world, tmp_path):
    treadmill = world.athlete.visible_activities()[1]
    treadmill.update(sportType=101, name="Treadmill Run")  # no GPS in its FIT file
    assert world.fetch("--detail-budget", 2).returncode == 0
    doc = details(world)[treadmill["labelId"]]
    assert "route" not in doc and "stream" in doc
    site = tmp_path / "site"
    assert (
        run_in_process("build_site.py", "--data-dir", world.data_dir, "--site-dir", site).returncode
        == 0
    )
    html = (site / "activities" / f"{treadmill['labelId']}.html").read_text()
    data = json.loads(
        re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html).group(1)
    )
    charts = re.findall(r'<div class="chart" id="([^"]+)"', html)
    assert set(charts) == {"pace", "heart-rate", "elevation"} == set(data["figures"])
    for chart in charts:  # every chart has a line to draw
        assert sum(v is not None for v in data["figures"][chart]["all"]["data"][0]["y"]) > 10
    assert len(data["x"]) == len(doc["stream"]["d"])
    assert "<polyline" not in html and 'data-empty="detail"' not in html


def test_masking_stored_routes_again_with_the_same_zones_changes_nothing(backfilled):
    before = snapshot(backfilled.data_dir)
    zone = backfilled.zone
    result = backfilled.fetch(
        "--detail-budget", 0, PRIVACY_ZONES=f"{zone[0]:.6f},{zone[1]:.6f},{zone[2]}"
    )
    assert result.returncode == 0, result.stderr
    assert "privacy:" not in result.stdout and snapshot(backfilled.data_dir) == before


def test_a_zone_added_later_reaches_the_routes_stored_before_it(world):
    assert world.fetch("--detail-budget", 3).returncode == 0
    routes = {i: route_points(d) for i, d in details(world).items() if "route" in d}
    target = sorted(routes)[0]
    zone = (*routes[target][len(routes[target]) // 2], 250)
    inside = {
        i
        for i, route in routes.items()
        if any(metres_between(p, zone[:2]) <= zone[2] for p in route)
    }
    before = snapshot(world.data_dir)
    world.faults.append(Fault("activity/query", "status", status=503, times=None))
    failed = world.fetch("--detail-budget", 0, PRIVACY_ZONES=f"{zone[0]},{zone[1]},{zone[2]}")
    assert (
        failed.returncode == 1 and snapshot(world.data_dir) == before
    )  # a failed run masks nothing either
    world.faults.clear()
    damaged = next(p for p in (world.data_dir / "details").glob("*/*.json") if p.stem not in inside)
    damaged.write_text("{")
    before = snapshot(world.data_dir)
    result = world.fetch("--detail-budget", 0, PRIVACY_ZONES=f"{zone[0]},{zone[1]},{zone[2]}")
    assert result.returncode == 0, result.stderr
    changed = int(
        re.search(r"privacy: (\d+) stored route\(s\) masked again", result.stdout).group(1)
    )
    assert changed >= len(inside) and target in inside  # what is hidden is wider than the zone
    warning = next(
        line for line in result.stderr.splitlines() if "its route was not masked again" in line
    )
    assert str(damaged) in warning  # warned, left for the build to stop on
    damaged.unlink()
    del before[damaged.relative_to(world.data_dir)]
    after = snapshot(world.data_dir)
    rewritten = {p.stem for p in after if after[p] != before.get(p)}
    assert inside <= rewritten and len(rewritten) == changed
    for activity_id, doc in details(world).items():
        route = route_points(doc)
        assert all(metres_between(p, zone[:2]) > zone[2] for p in route)
        if activity_id in rewritten:
            assert len(route) < len(routes[activity_id])
        else:
            assert route == routes[activity_id]
    again = world.fetch("--detail-budget", 0, PRIVACY_ZONES=f"{zone[0]},{zone[1]},{zone[2]}")
    assert "privacy:" not in again.stdout and snapshot(world.data_dir) == after


def test_details_hold_laps_splits_zones_weather_and_a_compact_stream(backfilled):
    world = backfilled
    run = next(
        a
        for a in world.athlete.visible_activities()
        if a["sportType"] == 100 and a["distance"] > 5000
    )
    doc = details(world)[run["labelId"]]
    assert doc["version"] == 2 and doc["id"] == run["labelId"] and doc["sport_code"] == 100
    assert len(doc["splits_s"]["km"]) == int(run["distance"] // 1000)
    assert sum(z["time_s"] for z in doc["hr_zones"]) > 0 and "temperature_c" in doc["weather"]
    assert doc["laps"][0]["distance_m"] == pytest.approx(1000, abs=20)
    assert doc["stream"]["every_s"] == 10 and doc["stream"]["t"][1] - doc["stream"]["t"][0] == 10
    raw = (world.data_dir / "details" / doc["date"][:4] / f"{run['labelId']}.json").read_bytes()
    hours = run["workoutTime"] / 3600
    assert len(gzip.compress(raw)) / hours <= 12_000  # ≤ 12 KB gzip per hour of activity
    indoor = [a for a in world.athlete.visible_activities() if a["sportType"] in (402, 300)]
    for item in indoor:
        assert "route" not in details(world)[item["labelId"]]
    assert "pw" not in doc["stream"]  # no power meter on the run
    ride = next(a for a in world.athlete.visible_activities() if a["sportType"] == 200)
    power = details(world)[ride["labelId"]]["stream"]["pw"]
    speeds = [p[5] for p in stream(ride)][
        : len(power)
    ]  # the emulator's power meter: drag and rolling at speed
    assert power == [round(0.5 * 1.2 * 0.32 * v**3 + 0.004 * 80 * 9.81 * v) for v in speeds]


def test_seed_athlete_details_have_what_exists(tmp_path):
    from coros_dashboard.emulator import seed_athlete

    with Emulator([seed_athlete()]) as emu:
        result = run_script(
            "fetch_coros.py",
            "--data-dir",
            tmp_path / "data",
            "--detail-budget",
            2,
            env=emulator_env(emu, "seed@example.com", "seed-password"),
        )
    assert result.returncode == 0, result.stderr
    docs = [json.loads(p.read_text()) for p in (tmp_path / "data" / "details").glob("*/*.json")]
    assert len(docs) == 2 and all("stream" not in d and "route" not in d for d in docs)


def test_zones_come_from_the_stream_when_coros_has_none():
    tops = [115, 134, 154, 173, 192]
    hr = (
        [100] * 6 + [150] * 6 + [180] * 3 + [134]
    )  # 60 s easy, 60 s in zone 3, 30 s in zone 5, a pause
    samples = [{"t": 10 * i, "hr": v} for i, v in enumerate(hr)]
    samples += [
        {"t": samples[-1]["t"] + 300, "hr": 120}
    ]  # after a 5-minute pause: not time in a zone
    zones = zones_from_stream(Recording.from_rows(samples), tops)
    assert [z["time_s"] for z in zones] == [60, 0, 60, 0, 30]
    assert (
        zones[0] == {"zone": 1, "low": None, "high": 115, "time_s": 60} and zones[2]["low"] == 134
    )
    assert (
        zones_from_stream(Recording.from_rows(samples), [150, 140, 160, 170, 180]) == []
    )  # tops out of order: no guess
    silent = Recording.from_rows([{"t": 0, "hr": None}, {"t": 10, "hr": None}])
    assert zones_from_stream(silent, tops) == []


def test_a_detail_without_zones_gets_them_from_its_heart_rate(world):
    def without_zones(answer):
        del answer["data"]["zoneList"]

    world.faults.append(Fault(DETAIL, "edit", times=None, edit=without_zones))
    assert world.fetch("--detail-budget", 3).returncode == 0
    tops = json.loads((world.data_dir / "profile.json").read_text())["hr_zones_max_hr"]
    stored = details(world)
    assert len(stored) == 3
    for item in world.athlete.visible_activities()[:3]:
        doc, points = (
            stored[item["labelId"]],
            np.array([(p[0], p[4]) for p in stream(item)], dtype=float),
        )
        zone = np.searchsorted(
            tops[:4], points[:-1, 1], side="right"
        )  # zone index of each sample's HR
        expected = np.bincount(zone, weights=np.diff(points[:, 0]), minlength=5)
        assert doc["hr_zones_from"] == "stream"
        assert [z["time_s"] for z in doc["hr_zones"]] == expected.astype(int).tolist()


def test_splits_are_interpolated_on_a_constructed_stream():
    samples = [
        {"t": t, "d": d} for t, d in ((0, 0), (250, 900), (300, 1100), (600, 2000), (700, 2300))
    ]
    # 1000 m at 250 + 50 * 100/200 = 275 s; 2000 m at 600 s
    assert splits(Recording.from_rows(samples), 1000) == [275, 325]
    assert np.arange(0, 31, 3)[downsample(np.arange(0, 31, 3), 10)].tolist() == [0, 12, 21, 30]


def test_damaged_fit_is_a_clear_error():
    with pytest.raises(DashboardError, match="not a FIT file"):
        parse_fit(b"hello")


def test_a_new_activity_of_a_daily_run_costs_at_most_two_coros_requests(world, backfilled):
    shutil.copytree(backfilled.data_dir, world.data_dir)
    assert world.fetch("--detail-budget", 0).returncode == 0  # the same history: only the summary
    world.athlete.add_activities(2)
    world.clear_requests()
    result = world.fetch("--detail-budget", 100)
    assert result.returncode == 0 and "details: 2 fetched" in result.stdout
    assert world.count() <= 6 + 2 * 2


def test_a_deleted_activity_leaves_no_route_behind(world):
    assert world.fetch("--detail-budget", 3).returncode == 0
    stored = details(world)
    gone = next(a for a in world.athlete.visible_activities() if a["labelId"] in stored)
    path = next((world.data_dir / "details").glob(f"*/{gone['labelId']}.json"))
    orphan = path.with_name("420990101000000.json")  # an activity deleted before this rule
    orphan.write_bytes(path.read_bytes().replace(gone["labelId"].encode(), b"420990101000000"))
    world.athlete.activities.remove(gone)
    result = world.fetch("--detail-budget", 0)
    assert result.returncode == 0 and "1 removed" in result.stdout, result.stdout
    assert not path.exists() and not orphan.exists()
    assert set(details(world)) == set(stored) - {gone["labelId"]}


def test_a_route_stored_in_format_1_is_read_in_segments(tmp_path):
    from coros_dashboard.store.stored_details import load_detail

    near = [(round(52.5 + i * 0.0003, 5), 13.4) for i in range(10)]  # 33 m apart
    far = [(round(52.52 + i * 0.0003, 5), 13.4) for i in range(10)]  # 2 km on: points removed
    path = tmp_path / "details" / "2026" / "4201.json"
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "id": "4201",
                "date": "2026-11-01",
                "sport_code": 100,
                "route": polyline.encode(near + far, 5),
            }
        )
    )
    doc = load_detail(path)
    assert doc["version"] == 2
    assert [polyline.decode(s, 5) for s in doc["route"]] == [near, far]


def test_a_stalling_file_host_never_carries_the_detail_phase_past_its_deadline(world):
    """Every download stalls: the phase stops at COROS_DETAIL_DEADLINE (without it, 50 details
    would wait 50 × 60 s), and the summary sync before it is saved."""
    world.faults.append(Fault("fit", "stall", times=None, seconds=600))
    result = world.fetch("--detail-budget", 50, COROS_TIMEOUT="60", COROS_DETAIL_DEADLINE="4")
    assert result.returncode == 0, result.stderr
    assert (
        "stopped when its 4 s (COROS_DETAIL_DEADLINE) were spent: the rest next run"
        in result.stdout
    )
    assert (world.data_dir / "activities.json").exists()  # the day's summary is kept


def test_a_body_dripped_a_byte_at_a_time_ends_at_the_deadline(world):
    """A drip never trips the per-read timeout; the download's own deadline ends it."""
    item = world.athlete.visible_activities()[0]
    world.faults.append(Fault("fit", "drip", times=None, seconds=0.05))
    url = f"{world.download_url}/fit/{item['labelId']}.fit"
    with pytest.raises(DashboardError, match="still arriving when the detail phase's time ran out"):
        fetch_file(url, timeout=60, deadline=Phase(time.monotonic() + 1, "the detail phase's time"))
