"""Which activities followed the same course, from their stored (masked) routes.

Two routes are the same course when
- their distances are within ±10 % of each other (`LENGTH_SHARE`, of the longer), and
- after resampling both to `POINTS` points evenly along their length, every point of each lies
  within `MATCH_M` metres of the other's line (a symmetric Hausdorff distance, point to polyline).

Both routes are masked the same way (start, finish and private zones left out), so what is compared
is what is published. A loop run the other way round matches too and is marked `reversed`; an
out-and-back never matches a loop, because half of the loop is far from it. Activities recorded
indoors (treadmill, pool: `INDOOR_CODES`) have no route and get similar ones instead: the same
sport, distance within ±5 %.

Distances use a flat projection around each pair's mean latitude: exact to well under a metre at
the few kilometres a course spans. Routes crossing the antimeridian are not compared.

Cost: a pair is compared only when its distances are close (a window over routes sorted by distance)
and its bounding boxes are within `MATCH_M` on every side, which any match must be; a pair whose
points, taken in order, all lie within `MATCH_M` is accepted without the full comparison.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from coros_dashboard.geo import EARTH_M
from coros_dashboard.sports import INDOOR_CODES

POINTS = 64
MATCH_M = 150.0
LENGTH_SHARE = 0.10
SIMILAR_SHARE = 0.05


@dataclass(frozen=True)
class Track:
    """A route ready to compare: `points` (POINTS × 2, radians lat/lon) evenly along its length."""

    id: str
    group: str
    length_m: float
    points: np.ndarray


@dataclass(frozen=True)
class Match:
    id: str
    reversed: bool = False


def _flat(points: np.ndarray, lat0: float) -> np.ndarray:
    """Radians lat/lon → metres (x east, y north) in a projection around latitude `lat0`."""
    return np.stack([points[..., 1] * np.cos(lat0) * EARTH_M, points[..., 0] * EARTH_M], axis=-1)


def resampled(segments: list[np.ndarray], n: int = POINTS) -> np.ndarray | None:
    """The route's segments (degrees) joined in order, as `n` points evenly along its length
    (radians); None for a route too short to compare."""
    points = np.radians(
        np.concatenate([np.asarray(s, dtype=float).reshape(-1, 2) for s in segments])
    )
    if len(points) < 2:
        return None
    xy = _flat(points, float(points[:, 0].mean()))
    along = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
    if along[-1] <= 0:
        return None
    at = np.linspace(0.0, along[-1], n)
    return np.stack(
        [np.interp(at, along, points[:, 0]), np.interp(at, along, points[:, 1])], axis=1
    )


def build_tracks(acts: pd.DataFrame, routes: dict[str, list[np.ndarray]]) -> list[Track]:
    """A Track for every activity with a route; its length is the distance COROS recorded (what the
    runner sees), else the route's own."""
    tracks = []
    for a in acts.itertuples():
        segments = routes.get(a.id)
        points = resampled(segments) if segments else None
        if points is None:
            continue
        if pd.notna(a.distance_m) and a.distance_m > 0:
            length = float(a.distance_m)
        else:
            xy = _flat(points, float(points[:, 0].mean()))
            length = float(np.hypot(*np.diff(xy, axis=0).T).sum())
        tracks.append(Track(a.id, a.group, length, points))
    return tracks


def _to_lines_m(points: np.ndarray, lines: np.ndarray) -> np.ndarray:
    """For each of k pairs: the greatest distance from a point of `points` (k, n, 2) to the polyline
    `lines` (k, n, 2), all in metres."""
    a, b = lines[:, None, :-1, :], lines[:, None, 1:, :]
    p = points[:, :, None, :]
    ab = b - a
    length2 = (ab**2).sum(-1)
    t = np.clip(((p - a) * ab).sum(-1) / np.where(length2 > 0, length2, 1.0), 0.0, 1.0)
    nearest = a + t[..., None] * ab
    return np.sqrt(((p - nearest) ** 2).sum(-1)).min(axis=2).max(axis=1)


def compare(track: Track, others: list[Track]) -> list[Match]:
    """Which of `others` follow `track`'s course (the length and box prefilters are the
    caller's)."""
    if not others:
        return []
    same, reverse = _same(track.points, np.stack([o.points for o in others]))
    return [Match(o.id, bool(r)) for o, s, r in zip(others, same, reverse, strict=True) if s]


def _same(points: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each of the k routes `b` (k, POINTS, 2): whether it is on the course of `points`, and
    whether the other way round."""
    lat0 = (points[:, 0].mean() + b[:, :, 0].mean(axis=1)) / 2
    cos = np.cos(lat0)[:, None]
    ref = points[0, 1]

    def flat(p):
        return np.stack([(p[..., 1] - ref) * cos * EARTH_M, p[..., 0] * EARTH_M], -1)

    a = flat(np.broadcast_to(points, b.shape))
    b = flat(b)
    forward = np.sqrt(((a - b) ** 2).sum(-1))
    backward = np.sqrt(((a - b[:, ::-1]) ** 2).sum(-1))
    reverse = backward.mean(axis=1) < forward.mean(axis=1)
    quick = (forward.max(axis=1) <= MATCH_M) | (backward.max(axis=1) <= MATCH_M)
    same = quick.copy()
    rest = np.flatnonzero(~quick)
    if len(rest):
        there = _to_lines_m(a[rest], b[rest])
        back = _to_lines_m(b[rest], a[rest])
        same[rest] = np.maximum(there, back) <= MATCH_M
    return same, reverse


def close_lengths(a: float, b: float, share: float) -> bool:
    return abs(a - b) <= share * max(a, b)


def _boxes_close(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Whether each of `boxes` is within MATCH_M of `box` on every side: true of every match, since
    each point of either route lies within MATCH_M of the other's line."""
    lat0 = (box[0] + box[1] + boxes[:, 0] + boxes[:, 1]) / 4
    d_lat = MATCH_M / EARTH_M * 1.001
    d_lon = d_lat / np.cos(lat0)
    near = np.abs(boxes - box)
    return (
        (near[:, 0] <= d_lat)
        & (near[:, 1] <= d_lat)
        & (near[:, 2] <= d_lon)
        & (near[:, 3] <= d_lon)
    )


def match_routes(tracks: list[Track]) -> dict[str, list[Match]]:
    """Activity id → the activities on its course, within each sport group."""
    found: dict[str, list[Match]] = {}
    by_group: dict[str, list[Track]] = {}
    for t in tracks:
        by_group.setdefault(t.group, []).append(t)
    for group in by_group.values():
        group.sort(key=lambda t: t.length_m)
        lengths = np.array([t.length_m for t in group])
        points = np.stack([t.points for t in group])
        boxes = np.stack(
            [
                points[:, :, 0].min(1),
                points[:, :, 0].max(1),
                points[:, :, 1].min(1),
                points[:, :, 1].max(1),
            ],
            axis=1,
        )
        for i, track in enumerate(group):
            end = int(np.searchsorted(lengths, track.length_m / (1 - LENGTH_SHARE) * 1.000001))
            window = np.arange(i + 1, end)
            near = lengths[window]
            window = window[np.abs(near - track.length_m) <= LENGTH_SHARE * near]  # near ≥ it
            window = window[_boxes_close(boxes[i], boxes[window])]
            if not len(window):
                continue
            same, reverse = _same(points[i], points[window])
            for j, r in zip(window[same], reverse[same], strict=True):
                _both_ways(found, track.id, group[int(j)].id, bool(r))
    return found


def _both_ways(found: dict[str, list[Match]], a: str, b: str, reversed_: bool) -> None:
    """A match is mutual: each lists the other."""
    found.setdefault(a, []).append(Match(b, reversed_))
    found.setdefault(b, []).append(Match(a, reversed_))


def match_routes_brute_force(tracks: list[Track]) -> dict[str, list[Match]]:
    """Every pair compared: the reference `match_routes` must equal."""
    found: dict[str, list[Match]] = {}
    for i, track in enumerate(tracks):
        for other in tracks[i + 1 :]:
            if other.group != track.group or not close_lengths(
                track.length_m, other.length_m, LENGTH_SHARE
            ):
                continue
            for m in compare(track, [other]):
                _both_ways(found, track.id, m.id, m.reversed)
    return found


def similar_activities(acts: pd.DataFrame, exclude: set[str]) -> dict[str, list[Match]]:
    """For indoor activities (no route; not in `exclude`): the others of the same sport whose
    distance is within ±5 %. An outdoor activity whose detail was not fetched gets none: its
    course is unknown, and a distance alone does not make the same run."""
    found: dict[str, list[Match]] = {}
    rows = acts[(acts["distance_m"].fillna(0) > 0) & acts["sport_code"].isin(INDOOR_CODES)]
    for _, same in rows.groupby("sport_code"):
        same = same.sort_values("distance_m", kind="stable")
        ids, lengths = list(same["id"]), same["distance_m"].to_numpy(dtype=float)
        for i, activity_id in enumerate(ids):
            if activity_id in exclude:
                continue
            lo = np.searchsorted(lengths, lengths[i] * (1 - SIMILAR_SHARE) * 0.999999)
            hi = np.searchsorted(lengths, lengths[i] / (1 - SIMILAR_SHARE) * 1.000001)
            found[activity_id] = [
                Match(ids[j])
                for j in range(lo, hi)
                if j != i
                and ids[j] not in exclude
                and close_lengths(lengths[i], lengths[j], SIMILAR_SHARE)
            ]
    return {k: v for k, v in found.items() if v}


@dataclass(frozen=True)
class Peers:
    """An activity's comparable others: on the same course ("route"), or, without a route, of the
    same sport and distance ("similar")."""

    kind: str
    matches: list[Match]


def find_peers(acts: pd.DataFrame, routes: dict[str, list[np.ndarray]]) -> dict[str, Peers]:
    """Activity id → its Peers, for every activity that has any."""
    tracks = build_tracks(acts, routes)
    out = {key: Peers("route", found) for key, found in match_routes(tracks).items()}
    similar = similar_activities(acts, exclude={t.id for t in tracks})
    out.update({key: Peers("similar", found) for key, found in similar.items()})
    return out
