"""Route masking as pure functions, and the attacks someone looking for the runner's home would
try: a line across a zone, a circle fitted through route ends, bisectors of the gaps, placeholder
fixes."""

import math

import numpy as np
import pytest

from coros_dashboard import settings
from coros_dashboard.errors import DashboardError
from coros_dashboard.geo import metres_between, nearest_on_segments_m
from coros_dashboard.privacy import (
    Privacy,
    Zone,
    hidden_circles,
    masked_route,
    real_fixes,
    remasked_route,
)

HOME = (52.52, 13.40)
SECRET = b"a secret of the repository owner"
SECRETS = [SECRET, b"x" * 20, b"another owner, another place", b"0123456789abcdef"]
M_PER_DEG = 111_320.0


def offset(origin, east_m: float, north_m: float) -> tuple[float, float]:
    """A point east_m / north_m metres from `origin` (flat earth: a few km)."""
    lat = origin[0] + north_m / M_PER_DEG
    return lat, origin[1] + east_m / (M_PER_DEG * math.cos(math.radians(origin[0])))


def local_m(points, origin=HOME) -> np.ndarray:
    """(east, north) metres of (lat, lon) rows around `origin`."""
    rows = np.asarray(points, dtype=float).reshape(-1, 2)
    east = (rows[:, 1] - origin[1]) * M_PER_DEG * math.cos(math.radians(origin[0]))
    return np.column_stack((east, (rows[:, 0] - origin[0]) * M_PER_DEG))


def line(start, bearing_deg: float, metres: float, step_m: float = 10.0) -> list:
    b = math.radians(bearing_deg)
    return [
        offset(start, d * math.sin(b), d * math.cos(b))
        for d in np.arange(0, metres + step_m, step_m)
    ]


def out_and_back(bearing_deg: float, metres: float = 3000) -> list:
    out = line(HOME, bearing_deg, metres)
    return out + out[::-1][1:]


def crossing(bearing_deg: float, miss_m: float, metres: float = 4000) -> list:
    """A straight run through the neighbourhood of HOME, passing `miss_m` from it."""
    b = math.radians(bearing_deg)
    side = offset(HOME, miss_m * math.cos(b), -miss_m * math.sin(b))
    start = offset(side, -metres / 2 * math.sin(b), -metres / 2 * math.cos(b))
    return line(start, bearing_deg, metres)


def mask(track, privacy, activity="a1"):
    return masked_route(track, track, privacy, activity)


def circle_fit(points) -> np.ndarray:
    """Kasa's algebraic circle fit: the centre (east, north) of the circle nearest the points."""
    xy = local_m(points)
    a = np.column_stack((xy[:, 0], xy[:, 1], np.ones(len(xy))))
    b = -(xy**2).sum(axis=1)
    d, e, _ = np.linalg.lstsq(a, b, rcond=None)[0]
    return np.array([-d / 2, -e / 2])


def bisector_meet(gaps) -> np.ndarray:
    """Where the perpendicular bisectors of the gaps' chords meet (least squares), in metres."""
    rows, values = [], []
    for p, q in gaps:
        p, q = local_m([p])[0], local_m([q])[0]
        n = (q - p) / np.linalg.norm(q - p)
        rows.append(n)
        values.append(n @ ((p + q) / 2))
    return np.linalg.lstsq(np.array(rows), np.array(values), rcond=None)[0]


# settings


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


def test_privacy_settings_are_read_into_zones_a_trim_and_a_secret():
    read = settings.privacy(
        {"PRIVACY_ZONES": "52.5,13.4,250; 48.1,11.5,500", "COROS_PASSWORD": "pw"}
    )
    assert read.zones == (Zone(52.5, 13.4, 250.0), Zone(48.1, 11.5, 500.0)) and read.trim_m == 300
    assert read.secret and b"pw" not in read.secret  # the password's hash, never the password
    own = settings.privacy({"PRIVACY_SECRET": "s" * 20, "COROS_PASSWORD": "pw"})
    assert own.secret == b"s" * 20 and "s" * 20 not in repr(own)


# the documented minimum


@pytest.mark.parametrize("bearing", range(0, 360, 45))
def test_no_published_point_is_within_the_trim_of_a_real_end_or_inside_a_zone(bearing):
    zone = Zone(*offset(HOME, 1200, 800), 300)
    privacy = Privacy((zone,), 300, SECRET)
    track = line(HOME, bearing, 5000)
    segments = mask(track, privacy, f"run-{bearing}")
    assert segments
    for point in (p for s in segments for p in s):
        assert metres_between(point, track[0]) > 300 and metres_between(point, track[-1]) > 300
        assert metres_between(point, (zone.lat, zone.lon)) > 300


# 1. never bridge a gap


def test_a_route_across_a_zone_is_two_segments_and_no_line_passes_through_it():
    zone = Zone(*HOME, 300)
    segments = mask(crossing(90, 0), Privacy((zone,), 0, SECRET))
    assert len(segments) == 2
    assert nearest_on_segments_m(segments, HOME) > 300  # every point and every drawn line
    joined = [segments[0] + segments[1]]  # what one polyline would have drawn
    assert nearest_on_segments_m(joined, HOME) < 10


def test_a_missing_fix_mid_route_splits_it_too():
    track = line(HOME, 90, 3000)
    track[150] = None  # a tunnel
    segments = masked_route(track, track, Privacy((), 0, SECRET), "a")
    assert len(segments) == 2


@pytest.mark.parametrize("secret", SECRETS)
def test_gap_bisectors_of_twenty_crossing_runs_miss_home_by_the_zone_radius(secret):
    zone = Zone(*HOME, 300)
    privacy = Privacy((zone,), 0, secret)
    rng = np.random.default_rng(1)
    gaps = []
    for i in range(20):
        segments = mask(crossing(rng.uniform(0, 360), rng.uniform(-150, 150)), privacy, f"x{i}")
        assert len(segments) == 2
        gaps.append((segments[0][-1], segments[1][0]))
    miss = float(np.linalg.norm(bisector_meet(gaps)))
    assert miss >= 300, miss  # it finds the displaced centre, not home


# 2. no circle around home


@pytest.mark.parametrize("secret", SECRETS)
def test_a_circle_through_the_ends_of_twenty_out_and_back_runs_misses_home_with_a_zone(secret):
    privacy = Privacy((Zone(*HOME, 400),), 300, secret)
    ends = []
    for i, bearing in enumerate(np.linspace(0, 360, 20, endpoint=False)):
        segments = mask(out_and_back(bearing), privacy, f"r{i}")
        ends += [segments[0][0], segments[-1][-1]]
    miss = float(np.linalg.norm(circle_fit(ends)))
    assert miss >= 400, miss


@pytest.mark.parametrize("secret", SECRETS)
def test_a_circle_through_the_ends_of_twenty_rides_misses_the_start_with_only_a_trim(secret):
    privacy = Privacy((), 300, secret)
    ends = []
    for i, bearing in enumerate(np.linspace(0, 360, 20, endpoint=False)):
        segments = mask(out_and_back(bearing, 6000), privacy, f"ride{i}")
        ends += [segments[0][0], segments[-1][-1]]
    miss = float(np.linalg.norm(circle_fit(ends)))
    assert miss >= 300, miss


def test_what_is_hidden_varies_per_activity_and_is_stable_per_secret():
    privacy = Privacy((Zone(*HOME, 400),), 300, SECRET)
    a, b = hidden_circles(privacy, "a", None), hidden_circles(privacy, "b", None)
    assert a == hidden_circles(privacy, "a", None) and a[0].radius_m != b[0].radius_m
    assert (a[0].lat, a[0].lon) == (b[0].lat, b[0].lon)  # one centre per zone ...
    other = hidden_circles(Privacy(privacy.zones, 300, b"another secret, another place"), "a", None)
    assert (other[0].lat, other[0].lon) != (a[0].lat, a[0].lon)  # ... that only the secret knows
    for circle in a + b:  # the zone itself always inside
        assert metres_between((circle.lat, circle.lon), HOME) + 400 <= circle.radius_m


# 3. placeholder fixes


def test_placeholder_fixes_before_the_first_lock_do_not_move_the_trim():
    real = line(HOME, 45, 4000)
    track = [(0.0, 0.0)] * 12 + real  # a device writes (0, 0) until the first satellite lock
    segments = masked_route(track, track, Privacy((), 300, SECRET), "p")
    points = [p for s in segments for p in s]
    assert points and min(metres_between(p, HOME) for p in points) > 300


def test_a_finish_indoors_without_gps_is_trimmed_from_the_last_real_fix():
    real = line(HOME, 45, 4000)
    fixes = real + [None] * 30  # the last records indoors
    segments = masked_route(real[::10] + [None], fixes, Privacy((), 300, SECRET), "i")
    points = [p for s in segments for p in s]
    assert min(metres_between(p, real[-1]) for p in points) > 300


def test_a_fix_from_nowhere_and_points_off_the_map_are_no_fixes():
    track = line(HOME, 0, 2000)
    track[100] = offset(HOME, 50_000, 0)  # one jump of 50 km and back
    track[120] = (95.0, 13.4)
    ok = real_fixes(track)
    assert not ok[100] and not ok[120] and sum(ok) == len(track) - 2
    segments = mask(track, Privacy((), 0, SECRET))
    assert all(metres_between(p, HOME) < 3000 for s in segments for p in s)


# masking again


def test_a_stored_route_masked_again_with_the_same_settings_is_unchanged():
    privacy = Privacy((Zone(*HOME, 300),), 300, SECRET)
    segments = [[(round(a, 5), round(b, 5)) for a, b in s] for s in mask(crossing(30, 50), privacy)]
    assert remasked_route(segments, privacy, "a1") == segments


def test_a_zone_added_later_reaches_a_stored_route():
    stored = mask(crossing(30, 50), Privacy((), 0, SECRET))
    assert len(stored) == 1
    again = remasked_route(stored, Privacy((Zone(*HOME, 300),), 0, SECRET), "a1")
    assert len(again) == 2 and nearest_on_segments_m(again, HOME) > 300
