"""The race-day section's model: the goal race from data/races.json, the plan's projection to it,
the taper check and the predictions with their back-test, every value formatted for the page.
The numbers come from site/race.py."""

import re
from dataclasses import dataclass, field

import pandas as pd

from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.site import race
from coros_dashboard.site.efforts import EFFORTS
from coros_dashboard.site.plan import Plan
from coros_dashboard.site.race import Effort, PastRace, State
from coros_dashboard.site.units import (
    Units,
    format_count,
    format_duration,
    format_percent,
    format_signed,
)
from coros_dashboard.store.datafiles import PREDICTED_RACES, race_column

HISTORY_DAYS = 56  # the projection chart shows the 8 weeks before today too
RACE_NAME = re.compile(
    r"\b(?:race|parkrun|marathon|half|10 ?k|5 ?k|halbmarathon|semi|carrera|course)\b", re.I
)
PROPOSALS = 5
GOAL_HORIZON_DAYS = 2 * 366  # a goal further out is not projected: no plan reaches it
MAX_PAST_RACES = 50  # the back-test's races, newest first: a longer list adds time, not insight
WARMING_UP = "The fitness model needs 6 weeks of history before it can project form."


@dataclass
class RaceDay:
    name: str
    date: pd.Timestamp
    distance: str  # "42.2 km"
    days_to_go: int
    target: str  # "3:15:00" or ""
    history: pd.DataFrame  # fitness, fatigue, form of the weeks before today
    projection: pd.DataFrame | None  # from today to race day: as planned, and form's band
    form_words: str  # the card's line
    form_note: str  # how it was found (in the fold)
    taper_words: str
    headline_words: str
    shape_words: str  # the marathon shape today and on race day, for a marathon goal
    predictions: list[JsonObject] = field(default_factory=list)
    past: list[JsonObject] = field(default_factory=list)
    proposals: list[JsonObject] = field(default_factory=list)
    # past races listed without a result: no result_s, and no stored activity_id
    untested: list[str] = field(default_factory=list)

    @property
    def when(self) -> str:
        weeks, days = divmod(self.days_to_go, 7)
        if self.days_to_go == 0:
            return "today"
        if weeks == 0:
            return f"in {days} day{'s' if days != 1 else ''}"
        words = f"in {weeks} week{'s' if weeks != 1 else ''}"
        return words + (f" and {days} day{'s' if days != 1 else ''}" if days else "")


def standard(metres: float) -> float:
    """A distance within 1 % of a standard race is that race (COROS predicts those only)."""
    return next((s for s in PREDICTED_RACES.values() if abs(metres - s) <= 0.01 * s), metres)


def coros_predictions(daily: pd.DataFrame) -> dict[pd.Timestamp, dict[float, float]]:
    """Day → {distance: COROS's predicted seconds}: the history each fetch stored."""
    out: dict[pd.Timestamp, dict[float, float]] = {}
    for key, metres in PREDICTED_RACES.items():
        column = race_column(key)
        if column in daily:
            for day, seconds in daily[column].dropna().items():
                out.setdefault(pd.Timestamp(day), {})[metres] = float(seconds)
    return out


def efforts_of(acts: pd.DataFrame, depth_efforts: pd.DataFrame | None) -> list[Effort]:
    """Every run as a whole (≥ 1.5 km), and the best efforts the details found inside them."""
    out = []
    runs = acts[(acts["group"] == "run") & (acts["distance_m"] >= 1500) & (acts["moving_s"] > 0)]
    for a in runs.itertuples():
        out.append(Effort(a.date, float(a.distance_m), float(a.moving_s), str(a.id)))
    if depth_efforts is not None and not depth_efforts.empty:
        for e in depth_efforts.itertuples():
            out.append(Effort(e.date, EFFORTS[e.effort], float(e.seconds), str(e.id)))
    return out


def past_races(
    records: list[JsonObject], acts: pd.DataFrame, today: pd.Timestamp
) -> tuple[list[PastRace], list[str]]:
    """The newest MAX_PAST_RACES races before today with a result (their own `result_s`, or their
    activity's elapsed time), and the names of those listed without one."""
    by_id = acts.set_index("id") if not acts.empty else acts
    out, untested = [], []
    before = sorted(
        (r for r in records if r["date"] < f"{today:%Y-%m-%d}"), key=lambda r: r["date"]
    )
    for r in before[-MAX_PAST_RACES:]:
        day = pd.Timestamp(r["date"])
        seconds = r.get("result_s")
        activity = r.get("activity_id", "")
        if seconds is None and activity and activity in by_id.index:
            a = by_id.loc[activity]
            seconds = a["elapsed_s"] if pd.notna(a["elapsed_s"]) else a["moving_s"]
        if seconds is not None and pd.notna(seconds) and seconds > 0:
            out.append(
                PastRace(day, r["name"], standard(r["distance_m"]), float(seconds), activity)
            )
        else:
            untested.append(r["name"])
    return out, untested


def planned_loads(plan: Plan | None, load: pd.Series, today: pd.Timestamp, end: pd.Timestamp):
    """Each day's load from today to `end`: today's done plus its planned not yet done, then the
    plan's (0 where it plans nothing)."""
    days = pd.date_range(today, end)
    planned = pd.Series(0.0, index=days)
    for w in plan.workouts if plan else []:
        if today <= w.date <= end and w.load and not (w.date == today and w.done_id):
            planned[w.date] += w.load
    planned[today] += float(load.get(today, 0.0))
    return planned


def plan_series(plan: Plan | None) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Planned load, distance and sessions per day."""
    rows = [(w.date, w.load or 0.0, w.distance_m or 0.0) for w in plan.workouts] if plan else []
    frame = pd.DataFrame(rows, columns=["date", "load", "distance"])
    if frame.empty:
        empty = pd.Series(dtype="float64")
        return empty, empty, empty
    by_day = frame.groupby("date")
    return by_day["load"].sum(), by_day["distance"].sum(), by_day.size().astype(float)


def form_words(
    projection: pd.DataFrame, band: tuple[float, float] | None, race_day: pd.Timestamp, plan_end
) -> tuple[str, str]:
    """('Form on race day: +12 as planned, +4 to +15 as you usually train.', how it was found)."""
    eve = race_day - pd.Timedelta(days=1)
    row = projection.loc[eve] if eve in projection.index else projection.iloc[-1]
    words = f"Form on race day: {format_signed(row['form'])} as planned"
    note = (
        "Form before the start: after race eve, by the dashboard's own model and the plan's loads"
    )
    if band is not None:
        low, high = sorted((row["form_low"], row["form_high"]))
        words += f", {format_signed(low)} to {format_signed(high)} as you usually train"
        shares = f"{format_percent(band[0])} to {format_percent(band[1])}"
        note += (
            f"; as you usually train: you did {shares} of the planned load a week (10th–90th "
            "percentile, all sports counted) over the last 12 weeks"
        )
    else:
        note += "; too few planned weeks yet to say how much of a plan you usually do"
    note += (
        f". Fresh for a race is +{race.RACE_FRESH[0]:.0f} to +{race.RACE_FRESH[1]:.0f} in common "
        "practice, not a validated range."
    )
    if plan_end is not None and plan_end < eve:
        note += f" The plan ends on {plan_end:%a %d %b}: no load is assumed after it."
    return words + ".", note


def taper_words(t: race.Taper | None) -> str:
    reference = (
        "Bosquet et al. 2007: about 2 weeks, volume cut by 41–60 %, intensity and frequency kept"
    )
    if t is None:
        return f"Taper: the plan does not cover the 6 weeks before the race yet ({reference})."
    verdict = "within" if t.within else "outside"
    return (
        f"Taper: the plan's last 2 weeks cut volume by {format_percent(t.cut)} "
        f"({t.weekly_before:.0f} → {t.weekly_taper:.0f} km a week) with "
        f"{t.sessions_taper:.1f} sessions a week ({t.sessions_before:.1f} before) — {verdict} "
        f"the evidence ({reference})."
    )


def yesterday_state(fitness: pd.DataFrame | None, today: pd.Timestamp) -> State | None:
    """Fitness and fatigue after yesterday (None in the model's warm-up)."""
    yesterday = today - pd.Timedelta(days=1)
    if fitness is None or yesterday not in fitness.index:
        return None
    row = fitness.loc[yesterday]
    return State(float(row["fitness"]), float(row["fatigue"])) if pd.notna(row["form"]) else None


def projection_of(
    start: State,
    plan: Plan | None,
    planned_by_day: pd.Series,
    load: pd.Series,
    today: pd.Timestamp,
    race_day: pd.Timestamp,
) -> tuple[pd.DataFrame, str, str]:
    """The projection to race eve as planned, with form's band as usually trained, and its
    words."""
    eve = max(today, race_day - pd.Timedelta(days=1))  # form before the start, not after the race
    loads = planned_loads(plan, load, today, eve)
    projection = race.project(start, loads)
    band = race.share_band(race.done_shares(planned_by_day, load, today))
    if band is not None:
        projection["form_low"] = race.project(start, loads, band[0])["form"]
        projection["form_high"] = race.project(start, loads, band[1])["form"]
    plan_end = plan.workouts[-1].date if plan and plan.workouts else None
    return projection, *form_words(projection, band, race_day, plan_end)


def races_text(count: int) -> str:
    return format_count(count, "past race", "past races")


def prediction_rows(
    predictions: dict[str, race.Prediction], checks: dict[str, race.Check], best: str | None
) -> list[JsonObject]:
    rows = []
    for m in race.MODELS:
        p, c = predictions[m], checks[m]
        error = "no past race to test on"
        if c.mape is not None:
            error = f"{format_percent(c.mape, 1)} off on {races_text(len(c.errors))}"
        rows.append(
            {
                "model": m,
                "time": format_duration(p.seconds) if p.seconds else "–",
                "basis": p.basis or "not enough data",
                "error": error,
                "best": m == best,
            }
        )
    return rows


def headline_words(
    predictions: dict[str, race.Prediction], checks: dict[str, race.Check], best: str | None
) -> str:
    if best is None:
        return "No prediction yet: it needs runs of at least 1.5 km in the last 12 weeks."
    c = checks[best]
    why = "untested: no past race in races.json yet"
    if c.mape is not None:
        why = f"{format_percent(c.mape, 1)} off on your {races_text(len(c.errors))}"
    return f"Predicted finish: {format_duration(predictions[best].seconds)} ({best}, {why})."


def shape_words(
    acts: pd.DataFrame,
    plan: Plan | None,
    today: pd.Timestamp,
    race_day: pd.Timestamp,
    goal_seconds: float | None,
    goal_words: str,
) -> str:
    """Runalyze's marathon shape today and on race day as planned, against the goal's targets."""
    if not goal_seconds:
        return ""
    score = race.vdot(race.MARATHON_M, goal_seconds)
    done = acts[(acts["group"] == "run") & (acts["date"] < today)] if not acts.empty else acts
    runs = [
        (d, km / 1000) for d, km in zip(done["date"], done["distance_m"].fillna(0), strict=True)
    ]
    planned = [
        (w.date, (w.distance_m or 0) / 1000)
        for w in (plan.workouts if plan else [])
        if w.group == "run" and today <= w.date < race_day and not w.done_id
    ]
    now = race.marathon_shape(runs, today, score)
    then = race.marathon_shape(runs + planned, race_day, score)
    return (
        f"Marathon shape (Runalyze's definition, which it states has no scientific validation): "
        f"{now.percent:.0f} % today, {then.percent:.0f} % on race day as planned — against the "
        f"targets of {goal_words} (VDOT {score:.1f}: {now.weekly_target_km:.0f} km a week over 26 "
        f"weeks, long runs to {now.long_target_km:.0f} km in the last 10 weeks; you ran "
        f"{now.weekly_km:.0f} km a week)."
    )


def build_race_day(
    records: list[JsonObject],
    acts: pd.DataFrame,
    plan: Plan | None,
    load: pd.Series,
    fitness: pd.DataFrame | None,
    daily: pd.DataFrame,
    depth_efforts: pd.DataFrame | None,
    units: Units,
    today: pd.Timestamp,
) -> RaceDay | None:
    """The next race in races.json as the section shows it; None without one."""
    horizon = f"{today + pd.Timedelta(days=GOAL_HORIZON_DAYS):%Y-%m-%d}"
    ahead = sorted(
        (r for r in records if f"{today:%Y-%m-%d}" <= r["date"] <= horizon),
        key=lambda r: r["date"],
    )
    if not ahead:
        return None
    goal = ahead[0]
    race_day = pd.Timestamp(goal["date"])
    history = pd.DataFrame()
    if fitness is not None:
        history = fitness.loc[fitness.index >= today - pd.Timedelta(days=HISTORY_DAYS)]
    start = yesterday_state(fitness, today)
    planned_by_day, distance, sessions = plan_series(plan)
    projection, words, note = None, "No form projection yet.", WARMING_UP
    if start is not None:
        projection, words, note = projection_of(start, plan, planned_by_day, load, today, race_day)
    efforts = efforts_of(acts, depth_efforts)
    coros = coros_predictions(daily)
    tomorrow = today + pd.Timedelta(days=1)
    metres = standard(goal["distance_m"])
    predictions = {
        m: race.predict(
            m, metres, race.before(efforts, tomorrow), race.latest_before(coros, tomorrow)
        )
        for m in race.MODELS
    }
    past, untested = past_races(records, acts, today)
    checks = race.back_test(past, efforts, coros)
    best = race.headline_model(checks, predictions)
    shape = ""
    if metres == race.MARATHON_M:
        target = goal.get("target_s")
        goal_seconds = target or (predictions[best].seconds if best else None)
        goal_words = f"a {format_duration(goal_seconds)} marathon" if goal_seconds else ""
        if not target and goal_seconds:
            goal_words += " (the headline prediction: no target_s in races.json)"
        shape = shape_words(acts, plan, today, race_day, goal_seconds, goal_words)
    return RaceDay(
        goal["name"],
        race_day,
        units.distance_text(goal["distance_m"], 1),
        int((race_day - today).days),
        format_duration(goal["target_s"]) if goal.get("target_s") else "",
        history,
        projection,
        words,
        note,
        taper_words(race.taper(distance, sessions, race_day)),
        headline_words(predictions, checks, best),
        shape,
        prediction_rows(predictions, checks, best),
        [
            {
                "date": f"{r.date:%d %b %Y}",
                "name": r.name,
                "distance": units.distance_text(r.metres, 1),
                "result": format_duration(r.seconds),
            }
            for r in sorted(past, key=lambda r: r.date, reverse=True)
        ],
        proposals(acts, {r["activity_id"] for r in records if "activity_id" in r}, units),
        untested,
    )


def proposals(acts: pd.DataFrame, listed: set[str], units: Units) -> list[JsonObject]:
    """Runs named like races and not in races.json yet: proposed, never assumed."""
    if acts.empty:
        return []
    runs = acts[(acts["group"] == "run") & acts["name"].fillna("").str.contains(RACE_NAME)]
    runs = runs[~runs["id"].isin(listed)].tail(PROPOSALS)
    return [
        {
            "id": a.id,
            "date": f"{a.date:%Y-%m-%d}",
            "name": a.name,
            "distance": units.distance_text(a.distance_m, 1),
            "time": format_duration(a.elapsed_s if pd.notna(a.elapsed_s) else a.moving_s),
        }
        for a in runs.iloc[::-1].itertuples()
    ]


@dataclass(frozen=True)
class Budget:
    """Today's load budget: what keeps form after today at the productive band's edge, and what
    lands it in the band's middle, beside the plan's load for today."""

    edge: float  # form −30
    middle: tuple[float, float]  # form −20 … −10
    planned: float
    done: float

    @property
    def words(self) -> str:
        """'up to 95 keeps form above −30; 40–65 puts it at −20 to −10; planned 76'."""
        if self.edge <= 0:
            return "none: form stays below −30 even after a rest day."
        low, high = (max(0.0, v) for v in self.middle)
        words = (
            f"up to {self.edge:,.0f} keeps form above −30; {low:,.0f}–{high:,.0f} puts it at "
            "−20 to −10"
        )
        if self.planned:
            words += f"; planned {self.planned:,.0f}"
        if self.done:
            words += f", done so far {self.done:,.0f}"
        return words + "."


def today_budget(
    fitness: pd.DataFrame | None, load: pd.Series, plan: Plan | None, today: pd.Timestamp
) -> Budget | None:
    """From yesterday's fitness and fatigue (None in the model's warm-up)."""
    start = yesterday_state(fitness, today)
    if start is None:
        return None
    planned = sum(w.load or 0 for w in plan.workouts if w.date == today) if plan else 0
    return Budget(
        race.budget(start, race.PRODUCTIVE[0]),
        (race.budget(start, -10.0), race.budget(start, -20.0)),
        float(planned),
        float(load.get(today, 0.0)),
    )
