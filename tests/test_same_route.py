"""Same-route matching on hand-made routes: a loop, the same loop again and reversed, with a detour,
a different loop of the same length, an out-and-back, and the prefilter against every pair."""

import datetime as dt
import json
import math
import random
import re

import numpy as np
import pandas as pd
import pytest
from support import TODAY, run_in_process

from coros_dashboard.emulator.courses import write_courses
from coros_dashboard.site.same_route import (
    MATCH_M,
    Match,
    Track,
    build_tracks,
    find_courses,
    find_courses_brute_force,
    resampled,
    similar_activities,
)

HOME = (47.37, 8.54)
M_LAT = 1 / 111_195  # degrees per metre north


def moved(point, north_m, east_m):
    return (
        point[0] + north_m * M_LAT,
        point[1] + east_m * M_LAT / math.cos(math.radians(point[0])),
    )


def loop(metres, centre_bearing=0.0, start=HOME, backwards=False, every_m=10, noise_m=0.0, seed=0):
    """A circular loop of `metres` starting and ending at `start`."""
    rng = random.Random(seed)
    radius = metres / (2 * math.pi)
    centre = moved(start, radius * math.cos(centre_bearing), radius * math.sin(centre_bearing))
    n = int(metres / every_m)
    points = []
    for i in range(n + 1):
        share = i / n
        angle = centre_bearing + math.pi + 2 * math.pi * (-share if backwards else share)
        points.append(
            moved(
                centre,
                radius * math.cos(angle) + rng.uniform(-noise_m, noise_m),
                radius * math.sin(angle) + rng.uniform(-noise_m, noise_m),
            )
        )
    return np.array(points)


def out_and_back(metres, bearing=0.0, start=HOME, every_m=10):
    half = metres / 2
    out = [
        moved(start, d * math.cos(bearing), d * math.sin(bearing))
        for d in np.arange(0, half, every_m)
    ]
    return np.array(out + out[::-1])


def with_detour(points, at_share=0.25, depth_m=400):
    """The route with an out-and-back spur of `depth_m` east at `at_share` of the way."""
    i = int(len(points) * at_share)
    spur = [moved(tuple(points[i]), 0, d) for d in np.arange(0, depth_m, 10)]
    return np.concatenate([points[:i], spur, spur[::-1], points[i:]])


def length_m(points):
    d = np.diff(points, axis=0) * [111_195, 111_195 * math.cos(math.radians(points[0][0]))]
    return float(np.hypot(*d.T).sum())


def tracks(routes: dict, group="run") -> list[Track]:
    acts = pd.DataFrame(
        {
            "id": list(routes),
            "group": group,
            "distance_m": [length_m(r) for r in routes.values()],
        }
    )
    return build_tracks(acts, {k: [v] for k, v in routes.items()})


def match_routes(tracks: list[Track]) -> dict[str, list[Match]]:
    """Each activity's others on its course, as the pages read them."""
    found: dict[str, list[Match]] = {}
    for course in find_courses(tracks):
        for a in course.ids:
            others = [Match(b, course.reversed_between(a, b)) for b in course.ids if b != a]
            if others:
                found[a] = others
    return found


def ids(found, key):
    return sorted(m.id for m in found.get(key, []))


def test_the_same_loop_again_matches_and_reversed_is_marked():
    found = match_routes(
        tracks(
            {
                "a": loop(8000, noise_m=5, seed=1),
                "b": loop(8000, noise_m=5, seed=2),
                "back": loop(8000, backwards=True, noise_m=5, seed=3),
            }
        )
    )
    assert ids(found, "a") == ["b", "back"]
    assert Match("back", True) in found["a"] and Match("b", False) in found["a"]
    assert Match("a", True) in found["back"]


def test_a_detour_a_different_loop_and_an_out_and_back_do_not_match():
    base = loop(8000)
    detour = with_detour(base)
    assert length_m(detour) / length_m(base) < 1.10  # the distance alone would not tell them apart
    found = match_routes(
        tracks(
            {
                "loop": base,
                "detour": detour,
                "other": loop(8000, centre_bearing=math.pi),  # same start and length, other way out
                "out-back": out_and_back(8000),
                "out-back 2": out_and_back(8000),
            }
        )
    )
    assert ids(found, "loop") == []
    assert ids(found, "out-back") == ["out-back 2"]
    assert Match("out-back 2", False) in found["out-back"]  # an out-and-back is never "reversed"


def test_a_route_shifted_past_the_threshold_stops_matching():
    base = loop(6000)
    near = np.array([moved(tuple(p), MATCH_M * 0.8, 0) for p in base])
    far = np.array([moved(tuple(p), MATCH_M * 1.3, 0) for p in base])
    found = match_routes(tracks({"base": base, "near": near, "far": far}))
    assert ids(found, "base") == ["near"]


def test_distance_beyond_ten_percent_does_not_match_and_sports_stay_apart():
    base = loop(8000)
    acts = pd.DataFrame(
        {
            "id": ["a", "b", "ride"],
            "group": ["run", "run", "ride"],
            "distance_m": [8000, 8900, 8000],
        }
    )
    found = match_routes(build_tracks(acts, {k: [base] for k in ("a", "b", "ride")}))
    assert found == {}


def test_segments_of_a_masked_route_are_joined_in_order():
    points = loop(5000)
    whole = resampled([points])
    split = resampled([points[:100], points[100:]])
    assert np.allclose(whole, split)
    assert resampled([points[:1]]) is None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_prefilter_finds_exactly_what_comparing_every_pair_finds(seed):
    rng = random.Random(seed)
    routes = {}
    for i in range(60):  # a few courses from a few starts, some reversed, some detoured
        start = moved(HOME, rng.choice([0, 100, 2000]), rng.choice([0, 120]))
        kind = rng.choice(["loop", "loop", "back", "out", "detour"])
        metres = rng.choice([5000, 8000, 8400, 10000])
        if kind == "loop":
            route = loop(metres, start=start, noise_m=20, seed=i)
        elif kind == "back":
            route = loop(metres, start=start, backwards=True, noise_m=20, seed=i)
        elif kind == "out":
            route = out_and_back(metres, start=start)
        else:
            route = with_detour(loop(metres, start=start), depth_m=rng.choice([60, 400]))
        routes[f"r{i}"] = route
    all_tracks = tracks(routes)
    fast, slow = find_courses(all_tracks), find_courses_brute_force(all_tracks)
    assert fast == slow
    assert sum(len(c.ids) for c in fast if len(c.ids) > 1) > 20  # real courses, not singles


def test_two_thousand_runs_of_one_loop_are_one_course_found_in_linear_steps(monkeypatch):
    """Each run is compared with the courses' first runs only: 2,000 runs, 1,999 comparisons."""
    from coros_dashboard.site import same_route

    calls = []
    real = same_route._same
    monkeypatch.setattr(same_route, "_same", lambda p, b: calls.append(len(b)) or real(p, b))
    runs = {f"r{i:04d}": loop(8000, every_m=80, noise_m=5, seed=i % 50) for i in range(2000)}
    (course,) = find_courses(tracks(runs))
    assert course.ids == sorted(runs) and sum(calls) == len(calls) == 1999


def test_a_course_is_its_first_runs_and_a_shifted_run_starts_its_own():
    base = loop(6000)
    near = np.array([moved(tuple(p), MATCH_M * 0.8, 0) for p in base])
    nearer_to_near = np.array([moved(tuple(p), MATCH_M * 1.5, 0) for p in base])
    courses = find_courses(tracks({"base": base, "near": near, "far": nearer_to_near}))
    assert [c.ids for c in courses] == [["base", "near"], ["far"]]  # far is 0.7 × from near


def test_activities_without_a_route_get_the_same_sport_within_five_percent():
    acts = pd.DataFrame(
        {
            "id": ["t1", "t2", "t3", "swim", "road"],
            "sport_code": [101, 101, 101, 300, 100],
            "distance_m": [10000, 10400, 10600, 10000, 10000],
        }
    )
    found = similar_activities(acts, exclude=set())
    assert ids(found, "t1") == ["t2"]  # 10,600 is 5.7 % longer; the swim is another sport
    assert ids(found, "t2") == ["t1", "t3"]
    assert "swim" not in found and "road" not in found  # an outdoor run without its route: unknown


def test_a_page_of_a_busy_loop_carries_a_bounded_part_of_it(tmp_path):
    """60 runs of one loop: each page counts all 59 others, lists the 10 nearest in date and
    charts the 30 nearest and the 5 fastest: no page grows with its route."""
    data, site = tmp_path / "data", tmp_path / "site"
    write_courses(data, 60, TODAY, one_loop=True)
    result = run_in_process(
        "build_site.py", "--data-dir", data, "--site-dir", site, "--now", f"{TODAY}T07:00:00Z"
    )
    assert result.returncode == 0, result.stderr
    acts = json.loads((data / "activities.json").read_text())["activities"]
    middle = acts[30]
    page = (site / "activities" / f"{middle['id']}.html").read_text()
    assert '<h2 id="peers-heading">59 other runs on this route</h2>' in page
    listed = re.findall(r'<td><a href="([^"]+)\.html">', page)
    day = dt.date.fromisoformat(middle["date"])
    distance = {a["id"]: abs((dt.date.fromisoformat(a["date"]) - day).days) for a in acts}
    assert len(listed) == 10 and max(distance[i] for i in listed) == 5
    figure = json.loads(re.search(r'id="page-data">(.*?)</script>', page).group(1))
    others = figure["figures"]["peers"]["all"]["data"][0]
    fastest = sorted(acts, key=lambda a: a["moving_s"] / a["distance_m"])
    fastest = [a["id"] for a in fastest if a["id"] != middle["id"]][:5]
    charted = set(others["x"])
    assert 30 <= len(others["x"]) <= 35
    assert {a["date"] for a in acts if a["id"] in fastest} <= charted
    assert "the chart has the 30 nearest and the 5 fastest of all 59." in page
