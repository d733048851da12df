"""The build's own privacy check: a route that slips past the mask never reaches a published
page."""

import json
import re

import numpy as np
import polyline
import pytest
from support import copy_data, run_in_process

from coros_dashboard.errors import DashboardError
from coros_dashboard.privacy import Zone
from coros_dashboard.site.privacy_gate import check_page
from coros_dashboard.site.route_svg import route_svg

A = [(52.500, 13.400), (52.501, 13.401), (52.502, 13.402)]
B = [(52.510, 13.410), (52.511, 13.411)]


def page(lines: list[str]) -> bytes:
    polylines = "".join(f'<polyline fill="none" points="{points}"/>' for points in lines)
    return f'<html><svg class="route" viewBox="0 0 1 1">{polylines}</svg></html>'.encode()


def test_a_page_drawing_its_segments_passes():
    drawing = route_svg([A, B])
    check_page("1", page(drawing["lines"]), [A, B], (Zone(52.6, 13.5, 300),))


def test_a_line_joined_across_a_gap_is_refused():
    drawing = route_svg([A, B])
    joined = drawing["lines"][0] + "," + drawing["lines"][1]
    with pytest.raises(DashboardError, match="draws 1 line"):
        check_page("1", page([joined]), [A, B], ())


def test_a_drawn_line_through_a_zone_is_refused_even_with_no_point_inside():
    ends = [(52.500, 13.400), (52.520, 13.400)]  # 2.2 km apart, the zone between them
    drawing = route_svg([ends])
    with pytest.raises(DashboardError, match="inside a private zone"):
        check_page("1", page(drawing["lines"]), [ends], (Zone(52.510, 13.400, 300),))


def test_a_route_drawn_that_is_not_stored_is_refused():
    with pytest.raises(DashboardError, match="not stored"):
        check_page("1", page(route_svg([A])["lines"]), [], ())


def track(start, bearing_deg, km, every_m=20, turn_deg=0.0):
    """A recorded track: a point every `every_m` metres from `start`, turning `turn_deg` per km
    (a loop when the turns add up to 360°), rounded to 5 decimals as stored."""
    from coros_dashboard.geo import moved_by

    points, here, bearing = [start], start, np.radians(bearing_deg)
    for _ in range(int(km * 1000 / every_m)):
        here = moved_by(here, every_m, bearing)
        bearing += np.radians(turn_deg) * every_m / 1000
        points.append((round(here[0], 5), round(here[1], 5)))
    return points


@pytest.mark.parametrize(
    "segments",
    [
        [track((69.6492, 18.9553), 80, 50)],  # a 50 km ride east from Tromsø
        [track((78.2232, 15.6267), 0, 40, turn_deg=9)],  # a 40 km loop on Svalbard
        [track((89.99, 0.0), 90, 6, turn_deg=60)],  # round the North Pole
        [track((-16.8, 179.995), 90, 3)],  # across the antimeridian (Fiji)
        [A, [(52.505, 13.405)], B],  # a segment of one point mid-route …
        [A, B, [(52.52, 13.42)]],  # … and at its end
    ],
    ids=["tromso", "svalbard", "pole", "antimeridian", "one-point-mid", "one-point-end"],
)
def test_a_route_anywhere_on_earth_passes_with_no_zone(segments):
    drawing = route_svg(segments)
    assert drawing["frame"].span < 1  # degrees: drawn where it is, never across the world
    check_page("1", page(drawing["lines"]), segments, (), drawing)
    check_page("1", page(drawing["lines"]), segments, (Zone(0.0, 0.0, 300),), drawing)


def test_a_zone_across_the_antimeridian_is_still_enforced():
    segments = [track((-16.8, 179.995), 90, 3)]
    crossing = segments[0][len(segments[0]) // 2]
    drawing = route_svg(segments)
    with pytest.raises(DashboardError, match="inside a private zone"):
        check_page("1", page(drawing["lines"]), segments, (Zone(*crossing, 200),), drawing)


def test_a_route_that_slipped_past_the_mask_is_left_off_and_the_rest_published(
    recent_data, tmp_path
):
    """A detail file edited (or written by an older, buggier version) with a point in the zone:
    that page is published without its map, with a warning naming it; every other page as
    usual."""
    data = copy_data(recent_data, tmp_path / "data")
    path = next(
        p
        for p in sorted((data / "details").glob("*/*.json"))
        if "route" in json.loads(p.read_text())
    )
    doc = json.loads(path.read_text())
    first = np.array(polyline.decode(doc["route"][0], 5))
    home = tuple(first[len(first) // 2])
    site = tmp_path / "site"
    env = {"PRIVACY_ZONES": f"{home[0]},{home[1]},100"}
    result = run_in_process("build_site.py", "--data-dir", data, "--site-dir", site, env=env)
    assert result.returncode == 0, result.stderr
    (line,) = result.stderr.splitlines()
    assert re.fullmatch(
        rf"build_site.py: warning: privacy check: the page of activity {path.stem} draws a point "
        r"or a line inside a private zone; its map was left off the site",
        line,
    )
    published = (site / "activities" / f"{path.stem}.html").read_bytes()
    assert b'<svg class="route"' not in published and b"route-withheld" in published
    assert (site / "index.html").exists() and (site / "activities" / "index.html").exists()
