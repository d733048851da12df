"""The build's own privacy check: a route that slips past the mask never reaches a published
page."""

import json
import re

import numpy as np
import polyline
import pytest
from support import copy_data, run_in_process, snapshot

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


def test_a_stored_route_that_slipped_past_the_mask_stops_the_build(recent_data, tmp_path):
    """A detail file edited (or written by an older, buggier version) with a point in the zone:
    the build stops with one line and the old site stays."""
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
    assert run_in_process("build_site.py", "--data-dir", data, "--site-dir", site).returncode == 0
    before = snapshot(site)
    result = run_in_process("build_site.py", "--data-dir", data, "--site-dir", site, env=env)
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert re.search(
        rf"privacy check: the page of activity {path.stem} draws a point or a line", result.stderr
    )
    assert snapshot(site) == before
