"""A year of mornings replayed: the first screen built at 07:00 each day from the data as it had
arrived by then — COROS at the fetch's cron hour (some runs failing), the Health Shortcut's push
at a random hour between 05:00 and 11:00 (missing on some days), activities at their real start
times — and its answers checked against the data files, morning by morning."""

import datetime as dt

import pandas as pd
import pytest
from support import TODAY

from coros_dashboard.emulator.mornings import Arrivals, Replay
from coros_dashboard.site.frames import load_frames
from coros_dashboard.site.model import build_today
from coros_dashboard.site.morning import CADENCE_H, HEADLINE_WITH_PLAN, week_at_same_moment
from coros_dashboard.site.units import Units

MORNINGS = 365


def week_by_hand(records: list[dict], now: dt.datetime) -> tuple[float, float]:
    """This week's and last week's distance to the same moment, from the records: a second,
    plain implementation of the rule (an empty Monday morning compares the two weeks before)."""
    monday = dt.datetime.combine(now.date() - dt.timedelta(days=now.weekday()), dt.time())
    starts = [(dt.datetime.fromisoformat(r["start_local"][:19]), r) for r in records]

    def total(first: dt.datetime, last: dt.datetime) -> tuple[float, int]:
        chosen = [r for t, r in starts if first <= t <= last]
        return sum(r.get("distance_m", 0) for r in chosen), len(chosen)

    this, count = total(monday, now)
    week = dt.timedelta(days=7)
    if now.weekday() == 0 and count == 0:
        end = monday - dt.timedelta(microseconds=1)
        return total(monday - week, end)[0], total(monday - 2 * week, end - week)[0]
    return this, total(monday - week, now - week)[0]


@pytest.fixture(scope="module")
def demo_frames(demo_data):
    return load_frames(demo_data)


def test_a_year_of_mornings_answers_truthfully(demo_frames):
    frames = demo_frames
    first = TODAY - dt.timedelta(days=MORNINGS - 1)
    replay = Replay(frames, Arrivals(first - dt.timedelta(days=14), TODAY))
    units = Units("metric")
    seen = {"stale": 0, "older night": 0, "planned rest": 0, "moved": 0, "monday note": 0}
    for offset in range(MORNINGS):
        now = dt.datetime.combine(first + dt.timedelta(days=offset), dt.time(7, 0))
        cut = replay.at(now)
        today = build_today(cut, units, pd.Timestamp(now))
        day = pd.Timestamp(now.date())
        # the week: the pure rule, and a plain second implementation of it, agree
        weeks = week_at_same_moment(today.acts, pd.Timestamp(now))
        weeks_back = cut.activities[cut.activities["date"] >= day - pd.Timedelta(days=21)]
        records = weeks_back.to_dict("records")  # the three weeks the rule can reach
        this, last = week_by_hand([r for r in records if pd.notna(r["start_local"])], now)
        assert (weeks.this["distance_m"], weeks.last["distance_m"]) == pytest.approx(
            (this, last)
        ), now
        seen["monday note"] += bool(weeks.note)
        # the night: the latest that had arrived, named; never an older one taken for last night
        asleep = today.nights["total_min"] if "total_min" in today.nights else pd.Series()
        arrived = asleep[(asleep > 0) & (asleep.index <= day)].index
        recent = arrived[arrived > day - pd.Timedelta(days=7)]
        if recent.empty:
            assert today.night is None, now
        else:
            assert today.night is not None and today.night.date == recent[-1], now
            sleep = next(r for r in today.verdict.reasons if r.short == "Sleep")
            if today.night.date < day:
                seen["older night"] += 1
                assert sleep.weight is None and sleep.word in ("not synced yet", "left out"), now
        # every source judged is fresh; a stale one is named at the top
        for source, frame in (("COROS", cut.daily), ("Apple Health", cut.health)):
            latest = frame.index.max() if not frame.empty else None
            stale = (
                latest is not None
                and (day - latest) / pd.Timedelta(hours=1) + 7 > CADENCE_H[source]
            )
            assert (source in today.stale) is stale, (now, source)
            if stale:
                seen["stale"] += 1
                assert any(n.startswith(f"{source} data is") for n in today.notices), now
                assert all(r.weight is None for r in today.verdict.reasons if r.source == source), (
                    now
                )
        # the verdict and the plan say one thing
        plan = today.plan
        text = today.verdict.headline
        if plan is not None and plan.rest_today and today.verdict.key != "none":
            seen["planned rest"] += 1
            assert "rest" in text.lower() and today.rest_in_headline, (now, text)
        moved = [
            t.format(name="")[:12]
            for (key, planned), t in HEADLINE_WITH_PLAN.items()
            if planned == "hard" and key != "hard"
        ]
        seen["moved"] += any(text.startswith(m) for m in moved)
        # and no placeholder anywhere in what is said
        said = [text, today.verdict.because, *today.notices]
        said += [f"{r.word} {r.value} {r.detail} {r.provenance}" for r in today.verdict.reasons]
        assert not any(leak in s for s in said for leak in ("%{", "{name}", "&amp;")), now
    # the replay went through what it is for
    assert seen["stale"] > 0 and seen["older night"] > 0 and seen["planned rest"] > 0, seen
    assert seen["monday note"] > 0, seen
