"""What of a route may be published, against someone looking for where the runner lives.

A point inside a zone is not the only leak: a line drawn across a zone, or route ends that all lie
on one circle around home, point straight at it (Hassan et al., "Please Forget Where I Was Last
Summer", 2018). So:

- A route is kept as separate segments wherever points were removed, never joined across a gap.
- The start and finish are the first and last *real* fixes in time: a (0, 0) placeholder, a
  position off the map or a fix that jumps from nowhere is no fix.
- What is hidden around each zone, start and finish is a *displaced* circle: its centre is moved
  from the place by a secret offset (1.25–1.5 × the zone's radius or the trim, in one secret
  direction) and its radius grows so that the place's own circle stays inside it, plus a secret
  per-activity jitter. Route ends and gap bisectors then point at the displaced centre, at least
  the radius (or the trim) away from the place; no published point comes nearer to the place than
  the documented radius or trim.

The secret comes from PRIVACY_SECRET (or, failing that, the COROS password's hash), so the
shapes are stable from run to run and never stored. The settings are read in `settings`.
"""

import hashlib
import hmac
import math
from dataclasses import dataclass
from typing import Any

DEFAULT_TRIM_M = 300.0
MAX_STEP_M = 1000.0  # a fix this far from both its neighbours came from nowhere
MARGIN = 0.05  # of a zone's radius, at least, between it and what is hidden: a drawn line between
# two kept points (10 s apart) may dip that far into the hidden circle, never into the zone
Point = tuple[float, float]


@dataclass(frozen=True)
class Zone:
    """A circle that no published point may fall in."""

    lat: float
    lon: float
    radius_m: float


@dataclass(frozen=True)
class Privacy:
    """Where routes must not show: private zones, metres cut from each end, and the secret that
    displaces and varies what is hidden."""

    zones: tuple[Zone, ...] = ()
    trim_m: float = DEFAULT_TRIM_M
    secret: bytes = b""

    def __repr__(self) -> str:
        return f"Privacy({len(self.zones)} zone(s), trim {self.trim_m:g} m)"


def _unit(secret: bytes, *parts: object) -> float:
    """A number in [0, 1) from the secret and `parts`: stable, and unguessable without the
    secret."""
    digest = hmac.new(secret, repr(parts).encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _displaced(place: Point, radius: float, secret: bytes, key: str) -> tuple[Point, float]:
    """The centre of what is hidden around `place`, and its offset: 1.25–1.5 × `radius` away, in one
    secret direction shared by every place, so that ends, bisectors and averages of many
    activities all point at the offset centre, never at the place."""
    from coros_dashboard.geo import moved_by

    offset = radius * (1.25 + 0.25 * _unit(secret, key, "offset"))
    return moved_by(place, offset, 2 * math.pi * _unit(secret, "bearing")), offset


def hidden_circles(privacy: Privacy, activity: str, ends: tuple[Point, Point] | None) -> list[Zone]:
    """Everything hidden of one activity: each zone's displaced circle (its radius keeps the zone
    inside, plus a per-activity jitter of up to a quarter of it), and around the start and the
    finish a displaced circle keeping the trim's circle inside. An end inside a zone widens that
    zone's circle instead, so that every end near home points at the zone's one offset centre."""
    from coros_dashboard.geo import metres_between

    circles: list[Zone] = []
    for z in privacy.zones:
        key = f"zone {z.lat:.5f},{z.lon:.5f}"
        centre, offset = _displaced((z.lat, z.lon), z.radius_m, privacy.secret, key)
        radius = offset + z.radius_m * (
            1 + MARGIN + 0.2 * _unit(privacy.secret, key, activity, "jitter")
        )
        for end in ends or ():
            if float(metres_between(end, (z.lat, z.lon))) <= z.radius_m:
                reach = float(metres_between(end, centre)) + privacy.trim_m
                radius = max(
                    radius, reach * (1 + 0.25 * _unit(privacy.secret, key, activity, "end"))
                )
        circles.append(Zone(centre[0], centre[1], radius))
    if ends and privacy.trim_m > 0:
        for name, end in zip(("start", "finish"), ends, strict=True):
            if any(float(metres_between(end, (z.lat, z.lon))) <= z.radius_m for z in privacy.zones):
                continue  # the zone's circle above keeps this end's trim
            centre, offset = _displaced(end, privacy.trim_m, privacy.secret, "end")
            jitter = 0.25 * privacy.trim_m * _unit(privacy.secret, activity, name)
            circles.append(Zone(centre[0], centre[1], offset + privacy.trim_m + jitter))
    return circles


def real_fixes(fixes: list[Point | None]) -> list[bool]:
    """True for each position that is a real GPS fix: not missing, not the (0, 0) a device writes
    before its first satellite lock, on the map, and not a jump from nowhere (a fix more than
    MAX_STEP_M from both its real neighbours while they are near each other). Vectorised: it runs
    on every fix of a 1 Hz recording."""
    import numpy as np

    from coros_dashboard.geo import metres_between

    rows = np.array([p if p is not None else (np.nan, np.nan) for p in fixes], dtype=float)
    rows = rows.reshape(-1, 2)
    lat, lon = rows[:, 0], rows[:, 1]
    ok = (
        np.isfinite(lat)
        & np.isfinite(lon)
        & (np.abs(lat) <= 90)
        & (np.abs(lon) <= 180)
        & ~((np.abs(lat) < 1e-6) & (np.abs(lon) < 1e-6))
    )
    index = np.flatnonzero(ok)
    if len(index) >= 2:
        points = rows[index]
        step = metres_between(points[1:], points[:-1])  # step[k]: between real fixes k and k+1
        inf = np.array([np.inf])
        to_before = np.concatenate((inf, step))  # the first has no fix before it
        to_after = np.concatenate((step, inf))
        far = (to_before > MAX_STEP_M) & (to_after > MAX_STEP_M)
        far[0], far[-1] = step[0] > MAX_STEP_M, step[-1] > MAX_STEP_M  # one neighbour only
        across = np.zeros(len(points))  # ends: no pair of neighbours to compare
        across[1:-1] = metres_between(points[2:], points[:-2])
        ok[index[far & (across <= MAX_STEP_M)]] = False
    return ok.tolist()


def outside(points: Any, circles: list[Zone]) -> Any:
    """True for each (lat, lon) row outside every circle."""
    import numpy as np  # a fetch with nothing to mask starts without numpy

    from coros_dashboard.geo import metres_between

    keep = np.ones(len(points), dtype=bool)
    for c in circles:
        keep &= metres_between(points, (c.lat, c.lon)) > c.radius_m
    return keep


def split_kept(points: Any, keep: Any) -> list[list[Point]]:
    """The kept points as separate segments: a new segment wherever points were removed; a
    segment of one point is no line and is dropped."""
    segments: list[list[Point]] = []
    current: list[Point] = []
    for point, kept in zip(points.tolist(), keep.tolist(), strict=True):
        if kept:
            current.append((point[0], point[1]))
            continue
        if len(current) >= 2:
            segments.append(current)
        current = []
    if len(current) >= 2:
        segments.append(current)
    return segments


def masked_route(
    track: list[Point | None], fixes: list[Point | None], privacy: Privacy, activity: str
) -> list[list[Point]]:
    """The segments safe to publish of `track` (the points to draw, None where there is no fix):
    nothing within the displaced start and finish circles, which are placed from the first and last
    real fixes of `fixes` (every fix of the recording, in time order), nothing in a zone's circle.

    Points are rounded as the stored polyline keeps them (5 decimals) before they are checked, so
    masking a stored route again with the same settings changes nothing.
    """
    import numpy as np

    real = [p for p, good in zip(fixes, real_fixes(fixes), strict=True) if good and p is not None]
    if len(real) < 2:
        return []
    ends = (real[0], real[-1])
    good = real_fixes(track)
    rows = np.round(
        np.array(
            [p if ok and p else (np.nan, np.nan) for p, ok in zip(track, good, strict=True)],
            dtype=float,
        ).reshape(-1, 2),
        5,
    )
    keep = np.array(good, dtype=bool) & outside(
        np.nan_to_num(rows), hidden_circles(privacy, activity, ends)
    )
    return split_kept(rows, keep)


def remasked_route(
    segments: list[list[Point]], privacy: Privacy, activity: str
) -> list[list[Point]]:
    """Stored segments with the current zones applied again (a zone added since): the same
    segments when nothing falls in a zone."""
    import numpy as np

    circles = hidden_circles(privacy, activity, None)
    out: list[list[Point]] = []
    for segment in segments:
        rows = np.array(segment, dtype=float).reshape(-1, 2)
        out.extend(split_kept(rows, outside(rows, circles)))
    return out
