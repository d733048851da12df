"""Apple Health payloads like the iOS Shortcut sends, for the demo, tests and benchmarks."""

import datetime as dt
import random


def health_payload(first: dt.date, last: dt.date, seed: int = 1, segments: bool = False) -> dict:
    """A v1 payload with one day per date: metrics as samples, sleep as minutes or raw segments."""
    rng = random.Random(seed)
    days = []
    day = first
    while day <= last:
        record = {
            "date": day.isoformat(),
            "resting_hr": rng.randint(46, 58),
            "hrv_ms": [round(rng.gauss(52, 9), 1) for _ in range(rng.randint(2, 5))],
            "spo2_pct": round(rng.uniform(0.94, 0.99), 3),
            "steps": str(rng.randint(4000, 19000)),
        }
        if rng.random() < 0.05:  # some nights the watch was charging
            record.pop("hrv_ms")
        elif segments:
            record["sleep"] = night_segments(rng, day)
        else:
            deep, core, rem = rng.randint(40, 100), rng.randint(180, 280), rng.randint(60, 120)
            record["sleep"] = {
                "deep": deep,
                "core": core,
                "rem": rem,
                "awake": rng.randint(5, 40),
                "in_bed": deep + core + rem + rng.randint(20, 60),
            }
        days.append(record)
        day += dt.timedelta(days=1)
    return {"version": 1, "source": "generated", "days": days}


def night_segments(rng, wake_date: dt.date, offset_hours: int = 1) -> list:
    """Watch stages plus the iPhone's In Bed span, for the night ending on `wake_date`."""
    zone = dt.timezone(dt.timedelta(hours=offset_hours))
    bed = dt.datetime.combine(wake_date - dt.timedelta(days=1), dt.time(22, 30), zone)
    bed += dt.timedelta(minutes=rng.randint(0, 90))
    moment = bed + dt.timedelta(minutes=rng.randint(5, 25))
    segments = []
    for _cycle in range(5):
        for stage, lo, hi in (
            ("Core", 30, 60),
            ("Deep", 10, 35),
            ("Core", 10, 25),
            ("REM", 10, 35),
        ):
            end = moment + dt.timedelta(minutes=rng.randint(lo, hi))
            segments.append({"stage": stage, "start": moment.isoformat(), "end": end.isoformat()})
            moment = end
        if rng.random() < 0.4:
            end = moment + dt.timedelta(minutes=rng.randint(2, 10))
            segments.append({"stage": "Awake", "start": moment.isoformat(), "end": end.isoformat()})
            moment = end
    out_of_bed = moment + dt.timedelta(minutes=rng.randint(3, 15))
    segments.append({"stage": "In Bed", "start": bed.isoformat(), "end": out_of_bed.isoformat()})
    return segments
