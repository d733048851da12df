"""Best efforts from an activity's stream: the fastest continuous stretch of each distance.

Pure functions over the stored 10-second stream (`t` seconds, `d` metres). A stretch may start
anywhere — a 5K inside a half marathon counts — and its start is interpolated between samples,
so an effort is not rounded to the stream's resolution.
"""

EFFORTS = {"400 m": 400.0, "1 km": 1000.0, "1 mile": 1609.344, "5K": 5000.0, "10K": 10000.0,
           "Half marathon": 21097.5, "Marathon": 42195.0}


def best_effort(t: list, d: list, metres: float) -> float | None:
    """Seconds of the fastest stretch of `metres` in the stream, or None when it is shorter."""
    points = [(ti, di) for ti, di in zip(t, d, strict=True) if ti is not None and di is not None]
    if len(points) < 2 or points[-1][1] - points[0][1] < metres:
        return None
    best, i = None, 0
    for j in range(1, len(points)):
        tj, dj = points[j]
        if dj - points[0][1] < metres:
            continue
        while i + 1 < j and dj - points[i + 1][1] >= metres:
            i += 1
        (ta, da), (tb, db) = points[i], points[i + 1]
        start_d = dj - metres  # the stretch starts here, between samples i and i + 1
        start_t = ta if db == da else ta + (start_d - da) / (db - da) * (tb - ta)
        duration = tj - start_t
        if best is None or duration < best:
            best = duration
    return round(best, 1) if best is not None else None


def best_efforts(stream: dict) -> dict:
    """{effort name: seconds} for every standard distance the stream covers."""
    t, d = stream.get("t") or [], stream.get("d") or []
    if not t or len(t) != len(d):
        return {}
    out = {}
    for name, metres in EFFORTS.items():
        seconds = best_effort(t, d, metres)
        if seconds is not None:
            out[name] = seconds
    return out


def eddington(distances: list) -> int:
    """The largest E with E days of at least E (km or miles) each."""
    ordered = sorted((x for x in distances if x > 0), reverse=True)
    return max((e for e, x in enumerate(ordered, start=1) if x >= e), default=0)
