"""What of a route may be published: not within the trim of its start or finish, nothing inside a
private zone. Used where routes are stored (the fetch) and again on every stored route when a zone
is added; the settings (PRIVACY_ZONES, PRIVACY_TRIM_M) are read in `settings`."""

from dataclasses import dataclass
from typing import Any

DEFAULT_TRIM_M = 300.0


@dataclass(frozen=True)
class Zone:
    """A circle that no published point may fall in."""

    lat: float
    lon: float
    radius_m: float


@dataclass(frozen=True)
class Privacy:
    """Where routes must not show: private zones, and metres cut from each end."""

    zones: tuple[Zone, ...] = ()
    trim_m: float = DEFAULT_TRIM_M


def outside_zones(points: Any, zones: tuple[Zone, ...]) -> Any:
    """True for each (lat, lon) row outside every private zone."""
    import numpy as np  # a fetch with nothing to mask starts without numpy

    from coros_dashboard.geo import metres_between

    keep = np.ones(len(points), dtype=bool)
    for zone in zones:
        keep &= metres_between(points, (zone.lat, zone.lon)) > zone.radius_m
    return keep


def masked_route(points: Any, privacy: Privacy) -> list[tuple[float, float]]:
    """The (lat, lon) points safe to publish of a track: not within trim_m of the start or finish,
    none in a zone.

    Points are rounded as the stored polyline keeps them (5 decimals) before they are checked, so
    masking a stored route again with the same zones changes nothing.
    """
    import numpy as np

    from coros_dashboard.geo import metres_between

    track = np.round(np.array(points, dtype=float).reshape(-1, 2), 5)
    if len(track) < 2:
        return []
    keep = (
        outside_zones(track, privacy.zones)
        & (metres_between(track, track[0]) > privacy.trim_m)
        & (metres_between(track, track[-1]) > privacy.trim_m)
    )
    return [(lat, lon) for lat, lon in track[keep].tolist()]


def remasked_route(encoded: str, privacy: Privacy) -> str | None:
    """A stored route with the current zones applied again: the same string when nothing falls in
    a zone, "" when fewer than two points are left."""
    from coros_dashboard.geo import decode_route, encode_route

    points = decode_route(encoded)
    keep = outside_zones(points, privacy.zones)
    if keep.all():
        return encoded
    return encode_route(points[keep].tolist()) if keep.sum() >= 2 else ""
