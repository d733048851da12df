"""Which activities followed the same course, from their stored (masked) routes.

A course is defined by its first activity (the oldest): a later activity is on it when
- their distances are within ±10 % of each other (`LENGTH_SHARE`, of the longer), and
- after resampling both to `POINTS` points evenly along their length, every point of each lies
  within `MATCH_M` metres of the other's line (a symmetric Hausdorff distance, point to polyline).
An activity on no earlier course starts one of its own. Activities on one course are "the same
route": each page compares its activity with the others of its course.

Both routes are masked the same way (start, finish and private zones left out), so what is compared
is what is published. A loop run the other way round matches too and is marked `reversed`; an
out-and-back never matches a loop, because half of the loop is far from it. Activities recorded
indoors (treadmill, pool: `INDOOR_CODES`) have no route and get similar ones instead: the same
sport, distance within ±5 %.

Distances use a flat projection around each pair's mean latitude: exact to well under a metre at
the few kilometres a course spans. Routes crossing the antimeridian are not compared.

Cost: each activity is compared with the first activities of the courses found so far, and only
with those whose distances are close and whose bounding boxes are within `MATCH_M` on every side,
which any match must be; a pair whose points, taken in order, all lie within `MATCH_M` is accepted
without the full comparison. So 5,000 runs of one loop cost 5,000 comparisons, not 12.5 million,
and what a page carries of its course is bounded (see `site.pages`).
"""

from dataclasses import dataclass, field

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


@dataclass
class Course:
    """One course and the activities on it, oldest first: the first defines it."""

    ids: list[str]
    backwards: set[str] = field(default_factory=set)  # run the other way round from the first

    def reversed_between(self, a: str, b: str) -> bool:
        return (a in self.backwards) != (b in self.backwards)


def find_courses(tracks: list[Track]) -> list[Course]:
    """Every track on a course, in the order given (oldest first), each sport group apart."""
    courses: list[Course] = []
    by_group: dict[str, list[Track]] = {}
    for t in tracks:
        by_group.setdefault(t.group, []).append(t)
    for group in by_group.values():
        firsts: list[Course] = []
        lengths = np.empty(len(group))
        points = np.empty((len(group), POINTS, 2))
        boxes = np.empty((len(group), 4))
        for track in group:
            n = len(firsts)
            near = np.flatnonzero(
                np.abs(lengths[:n] - track.length_m)
                <= LENGTH_SHARE * np.maximum(lengths[:n], track.length_m)
            )
            box = _box(track.points)
            near = near[_boxes_close(box, boxes[near])]
            if len(near):
                same, reverse = _same(track.points, points[near])
                if same.any():
                    k = int(np.flatnonzero(same)[0])  # the oldest course it is on
                    course = firsts[int(near[k])]
                    course.ids.append(track.id)
                    if reverse[k]:
                        course.backwards.add(track.id)
                    continue
            firsts.append(Course([track.id]))
            lengths[n], points[n], boxes[n] = track.length_m, track.points, box
        courses += firsts
    return courses


def _box(points: np.ndarray) -> np.ndarray:
    return np.array(
        [points[:, 0].min(), points[:, 0].max(), points[:, 1].min(), points[:, 1].max()]
    )


def find_courses_brute_force(tracks: list[Track]) -> list[Course]:
    """Each track compared with every course's first, one pair at a time: the reference
    `find_courses` must equal."""
    courses: list[tuple[Track, Course]] = []
    for track in tracks:
        for first, course in courses:
            if first.group != track.group or not close_lengths(
                first.length_m, track.length_m, LENGTH_SHARE
            ):
                continue
            found = compare(first, [track])
            if found:
                course.ids.append(track.id)
                if found[0].reversed:
                    course.backwards.add(track.id)
                break
        else:
            courses.append((track, Course([track.id])))
    return [course for _, course in courses]


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
    same sport and distance ("similar"). `ids` holds them and the activity itself, oldest first;
    a course's list is shared by every activity on it (`position` says where each one is)."""

    kind: str
    ids: list[str]
    position: dict[str, int]
    backwards: set[str] = field(default_factory=set)

    @property
    def others(self) -> int:
        return len(self.ids) - 1

    def reversed_between(self, a: str, b: str) -> bool:
        return (a in self.backwards) != (b in self.backwards)


def find_peers(acts: pd.DataFrame, routes: dict[str, list[np.ndarray]]) -> dict[str, Peers]:
    """Activity id → its Peers, for every activity that has any (in size linear in the
    activities)."""
    tracks = build_tracks(acts, routes)
    out: dict[str, Peers] = {}
    for course in find_courses(tracks):
        if len(course.ids) > 1:
            peers = Peers(
                "route",
                course.ids,
                {ident: i for i, ident in enumerate(course.ids)},
                course.backwards,
            )
            out.update((ident, peers) for ident in course.ids)
    order = {ident: i for i, ident in enumerate(acts["id"])}
    for ident, found in similar_activities(acts, exclude={t.id for t in tracks}).items():
        ids = sorted([ident, *(m.id for m in found)], key=order.__getitem__)
        out[ident] = Peers("similar", ids, {i: n for n, i in enumerate(ids)})
    return out
