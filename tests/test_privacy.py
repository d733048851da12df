"""Route masking as pure functions: zones, trims, and masking a stored route again."""

import numpy as np
import pytest

from coros_dashboard import settings
from coros_dashboard.errors import DashboardError
from coros_dashboard.geo import decode_route, encode_route, metres_between
from coros_dashboard.privacy import Privacy, Zone, masked_route, outside_zones, remasked_route

HOME = (52.52, 13.40)


def line_east(start, metres: float, step_m: float = 10.0) -> list[tuple[float, float]]:
    """A straight track going east from `start`, a point every `step_m` metres."""
    per_degree = 111_320 * np.cos(np.radians(start[0]))
    return [(start[0], start[1] + d / per_degree) for d in np.arange(0, metres + step_m, step_m)]


@pytest.mark.parametrize(
    "value, message",
    [
        ("52.5,13.4", "lat,lon,radius_m"),
        ("95,13.4,100", "outside the map"),
        ("52.5,13.4,0", "radius"),
    ],
)
def test_privacy_zones_are_checked_and_never_echoed(value, message):
    with pytest.raises(DashboardError, match=message) as err:
        settings.privacy({"PRIVACY_ZONES": value})
    assert "52.5" not in str(err.value) and "95" not in str(err.value)


def test_privacy_settings_are_read_into_zones_and_a_trim():
    assert settings.privacy({"PRIVACY_ZONES": "52.5,13.4,250; 48.1,11.5,500"}) == Privacy(
        (Zone(52.5, 13.4, 250.0), Zone(48.1, 11.5, 500.0)), 300.0
    )
    assert settings.privacy({"PRIVACY_TRIM_M": "0"}).trim_m == 0


def test_the_trim_cuts_both_ends_and_nothing_else():
    track = line_east(HOME, 3000)
    kept = masked_route(track, Privacy((), 300))
    start, finish = np.round(track[0], 5), np.round(track[-1], 5)
    assert all(metres_between(p, start) > 300 and metres_between(p, finish) > 300 for p in kept)
    assert 2300 <= len(kept) * 10 <= 2420  # 3 km less 2 × 300 m, one point per 10 m


def test_no_point_of_a_masked_route_is_inside_a_zone():
    track = line_east((HOME[0], HOME[1] - 0.02), 3000)
    zone = Zone(*HOME, 400)
    kept = masked_route(track, Privacy((zone,), 0))
    assert kept and all(metres_between(p, HOME) > 400 for p in kept)
    assert outside_zones(np.array(kept), (zone,)).all()
    assert len(kept) < len(track) - 70  # the ~800 m across the zone are gone


def test_a_stored_route_masked_again_with_the_same_zones_is_unchanged():
    zone = Zone(*HOME, 300)
    route = encode_route(
        masked_route(line_east((HOME[0], HOME[1] - 0.02), 3000), Privacy((zone,), 300))
    )
    assert remasked_route(route, Privacy((zone,), 300)) == route


def test_a_zone_added_later_reaches_a_stored_route():
    route = encode_route(masked_route(line_east((HOME[0], HOME[1] - 0.02), 3000), Privacy((), 0)))
    zone = Zone(*HOME, 300)
    again = remasked_route(route, Privacy((zone,), 0))
    assert again and again != route
    assert all(metres_between(p, HOME) > 300 for p in decode_route(again))
    assert (
        remasked_route(route, Privacy((Zone(*HOME, 100_000),), 0)) == ""
    )  # nothing left to publish
