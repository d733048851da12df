"""Best efforts from an activity's stream: the fastest continuous stretch of each distance.

Pure functions over the stored 10-second stream (`t` seconds, `d` metres). A stretch may start
anywhere — a 5K inside a half marathon counts — and its start is interpolated between samples,
so an effort is not rounded to the stream's resolution.
"""

import numpy as np

from coros_dashboard.jsontypes import JsonObject

EFFORTS = {
    "400 m": 400.0,
    "1 km": 1000.0,
    "1 mile": 1609.344,
    "5K": 5000.0,
    "10K": 10000.0,
    "Half marathon": 21097.5,
    "Marathon": 42195.0,
}


def _arrays(t, d) -> tuple[np.ndarray, np.ndarray] | None:
    """Times and distances as float arrays without gaps (None or NaN); None for under two
    samples."""
    times, dist = np.asarray(t, dtype=float), np.asarray(d, dtype=float)
    if len(times) != len(dist):
        raise ValueError("t and d differ in length")
    kept = ~(np.isnan(times) | np.isnan(dist))
    if kept.sum() < 2:
        return None
    return times[kept], np.maximum.accumulate(dist[kept])  # distance never goes back


def best_effort(t, d, metres: float) -> float | None:
    """Seconds of the fastest stretch of `metres` in the stream, or None when it is shorter.

    For every sample as the stretch's end, the start is where the distance was `metres` less,
    interpolated in time between the two samples around it.
    """
    arrays = _arrays(t, d)
    if arrays is None or arrays[1][-1] - arrays[1][0] < metres:
        return None
    times, dist = arrays
    ends = np.nonzero(dist - dist[0] >= metres)[0]
    start_d = dist[ends] - metres
    start_t: np.ndarray = np.interp(
        start_d, dist, times
    )  # distance is non-decreasing: interp finds the time it was reached
    # where the distance stood still, interp takes the first time: the latest start is the fairer
    # one
    latest = np.searchsorted(dist, start_d, side="right") - 1
    start_t = np.where(dist[latest] == start_d, times[latest], start_t)
    return round(float(np.min(times[ends] - start_t)), 1)


def best_paces(t, d, durations: list[int]) -> dict[int, float]:
    """{seconds: the most metres covered in any stretch of that many seconds}: a mean-maximal
    curve."""
    arrays = _arrays(t, d)
    out: dict[int, float] = {}
    if arrays is None:
        return out
    times, dist = arrays
    for seconds in durations:
        if times[-1] - times[0] < seconds:
            continue
        starts = times[times <= times[-1] - seconds]
        covered = np.interp(starts + seconds, times, dist) - np.interp(starts, times, dist)
        out[seconds] = float(covered.max())
    return out


def best_efforts(stream: JsonObject) -> dict[str, float]:
    """{effort name: seconds} for every standard distance the stream covers."""
    t, d = stream.get("t") or [], stream.get("d") or []
    if not t or len(t) != len(d):
        return {}
    arrays = _arrays(t, d)  # converted once, not once per distance
    if arrays is None:
        return {}
    times, dist = arrays
    out = {}
    for name, metres in EFFORTS.items():
        seconds = best_effort(times, dist, metres)
        if seconds is not None:
            out[name] = seconds
    return out


def eddington(distances: list[float]) -> int:
    """The largest E with E days of at least E (km or miles) each."""
    ordered = sorted((x for x in distances if x > 0), reverse=True)
    return max((e for e, x in enumerate(ordered, start=1) if x >= e), default=0)
