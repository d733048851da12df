"""The build: wall and peak RSS, the site's weight, same-route matching, the privacy gate
and a daily rebuild."""

import gzip
import subprocess
import time
from pathlib import Path

from benchmarks.common import OUT, PY, ROOT, RUNS, TODAY, builds, median, run
from coros_dashboard.emulator import Emulator


def site_weight(site: Path) -> tuple:
    """gzip bytes of the dashboard (everything but plotly.js and the activity pages), and of
    plotly.js."""
    rest = plotly = 0
    for path in site.rglob("*"):
        if path.is_file() and "activities" not in path.relative_to(site).parts:
            size = len(gzip.compress(path.read_bytes(), compresslevel=9))
            if path.name.startswith("plotly-"):
                plotly += size
            else:
                rest += size
    return rest, plotly


def bench_matching(data: Path) -> tuple:
    """Same-route matching over a history's stored routes, as the build does it: (seconds, routes,
    activities with a match)."""
    import pandas as pd

    from coros_dashboard.site.frames import load_frames
    from coros_dashboard.site.model import build_model
    from coros_dashboard.site.same_route import build_tracks, find_peers
    from coros_dashboard.site.units import Units
    from coros_dashboard.store.stored_details import StoredDetails

    model = build_model(
        load_frames(data), Units("metric"), pd.Timestamp(TODAY), StoredDetails(data)
    )
    routes = model.depth.routes
    walls = []
    for _ in range(RUNS):
        start = time.perf_counter()
        peers = find_peers(model.acts, routes)
        walls.append(time.perf_counter() - start)
    matched = sum(1 for p in peers.values() if p.kind == "route")
    return median(walls), len(build_tracks(model.acts, routes)), matched


def bench_gate(data: Path, site: Path) -> float:
    """What the build's privacy check adds: every route an activity page draws read back and
    checked against a zone (the drawing itself, which the build makes anyway, is not counted)."""
    from coros_dashboard.geo import decode_route
    from coros_dashboard.privacy import Zone
    from coros_dashboard.site.privacy_gate import check_page
    from coros_dashboard.site.route_svg import route_svg
    from coros_dashboard.store.stored_details import StoredDetails

    zones = (Zone(52.52, 13.405, 500),)
    work = []
    for activity, doc in StoredDetails(data).items():
        segments = [decode_route(s) for s in doc.get("route", [])]
        page = (site / "activities" / f"{activity}.html").read_bytes()
        work.append((activity, page, segments, route_svg(segments) if segments else None))
    walls = []
    for _ in range(RUNS):
        start = time.perf_counter()
        for activity, page, segments, drawing in work:
            check_page(activity, page, segments, zones, drawing)
        walls.append(time.perf_counter() - start)
    return median(walls)


def bench_rebuild(data: Path, athlete) -> float:
    """A daily run's rebuild: 2 new activities fetched with their details into a copy of the 10-year
    history with details, then the site built again (the deploy job starts from a fresh checkout,
    so the whole site is built; there is no earlier site to reuse)."""
    copy = OUT / "data-10y-details-daily"
    subprocess.run(["rm", "-rf", str(copy)], check=True)
    subprocess.run(["cp", "-r", str(data), str(copy)], check=True)
    athlete.add_activities(2)
    with Emulator([athlete]) as emulator:
        env = {
            "COROS_API_BASE": emulator.base_url,
            "COROS_EMAIL": "ten@example.com",
            "COROS_PASSWORD": "ten",
            "COROS_DETAIL_BUDGET": "2",
        }
        _, _, out = run([PY, str(ROOT / "fetch_coros.py"), "--data-dir", str(copy)], env)
        assert "details: 2 fetched" in out, out
    return builds(copy, OUT / "site-10y-details-daily")[0]


def bench_race_day(data: Path) -> tuple:
    """What the race section adds to a build: the goal 8 weeks out projected, and the predictions
    back-tested on 50 past races (the 50 newest runs of at least 5 km, as races.json would list
    them): (seconds, efforts read)."""
    import pandas as pd

    from coros_dashboard.site.frames import load_frames
    from coros_dashboard.site.model import build_model
    from coros_dashboard.site.race_day import build_race_day, efforts_of
    from coros_dashboard.site.units import Units
    from coros_dashboard.store.stored_details import StoredDetails

    today = pd.Timestamp(TODAY)
    model = build_model(load_frames(data), Units("metric"), today, StoredDetails(data))
    runs = model.acts[(model.acts["group"] == "run") & (model.acts["distance_m"] >= 5000)]
    races = [
        {
            "date": f"{a.date:%Y-%m-%d}",
            "name": a.name,
            "distance_m": a.distance_m,
            "activity_id": a.id,
        }
        for a in runs.drop_duplicates("date").tail(50).itertuples()
    ] + [{"date": f"{today + pd.Timedelta(weeks=8):%Y-%m-%d}", "name": "Goal", "distance_m": 42195}]
    efforts = efforts_of(model.acts, model.depth.efforts if model.depth else None)
    walls = []
    for _ in range(RUNS):
        start = time.perf_counter()
        build_race_day(
            races, model.acts, model.plan, model.load, model.fitness, model.daily,
            model.depth.efforts if model.depth else None, model.units, today,
        )  # fmt: skip
        walls.append(time.perf_counter() - start)
    return median(walls), len(efforts)
