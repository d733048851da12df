"""Routes: the build's own polyline decoder agrees with the `polyline` package that encoded them,
and the SVG drawn on a page is the stored route, nothing else."""

import numpy as np
import polyline
import pytest
from hypothesis import given
from hypothesis import strategies as st

from coros_dashboard.geo import decode_route
from coros_dashboard.site.route_svg import coordinates as svg_coordinates
from coros_dashboard.site.route_svg import route_svg

coordinates = st.lists(st.tuples(st.floats(-90, 90), st.floats(-180, 180)), min_size=1, max_size=60)


@given(coordinates)
def test_decoding_equals_the_polyline_package(points):
    encoded = polyline.encode(points, 5)
    assert decode_route(encoded).tolist() == [list(p) for p in polyline.decode(encoded, 5)]


@pytest.mark.parametrize(
    "damaged",
    ["", "_p~iF~ps|U_ulLnnqC_mqNvxq", "_p~iF", "abc\u00e9", "_p~iF~ps|U ", None, "~~~~~~~~~~?"],
)
def test_a_damaged_route_decodes_to_nothing(damaged):
    assert decode_route(damaged).shape == (0, 2)


def test_the_svg_is_the_stored_route_projected(tmp_path):
    route = np.array([(52.5, 13.40), (52.51, 13.41), (52.52, 13.39), (52.505, 13.395)])
    svg = route_svg([decode_route(polyline.encode(route.tolist(), 5))])
    assert len(svg["lines"]) == 1
    xy = np.array([int(v) for v in svg["lines"][0].split(",")]).reshape(-1, 2) / 10
    assert len(xy) == len(route)
    # undo the projection: x grows east with cos(latitude), y grows south, metres kept square
    lon = route[:, 1].min() + (xy[:, 0] - 8) / (xy[:, 0].max() - 8) * np.ptp(route[:, 1])
    lat = route[:, 0].max() - (xy[:, 1] - 8) / (xy[:, 1].max() - 8) * np.ptp(route[:, 0])
    assert np.abs(lon - route[:, 1]).max() < 1e-4 and np.abs(lat - route[:, 0]).max() < 1e-4
    assert max(svg["width"], svg["height"]) == 320
    assert route_svg([route[:1]]) is None
    assert (
        np.abs(svg_coordinates(svg["lines"][0], svg["frame"]) - route).max() < 1e-4
    )  # the way back


def test_each_segment_is_its_own_line_and_shares_one_frame():
    a = np.array([(52.50, 13.40), (52.51, 13.41)])
    b = np.array([(52.53, 13.43), (52.54, 13.42), (52.55, 13.44)])
    svg = route_svg([a, b])
    assert len(svg["lines"]) == 2
    back = [svg_coordinates(line, svg["frame"]) for line in svg["lines"]]
    assert np.abs(back[0] - a).max() < 1e-4 and np.abs(back[1] - b).max() < 1e-4
