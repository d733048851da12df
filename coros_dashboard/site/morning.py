"""The first screen as it stands at the moment the page is built: this week against last at the
same moment, how old each source is, and the verdict put in words with today's plan. Pure
functions of frames and the build's local wall-clock time (`now`, naive).

Rules (README, "Today"):
- Week against week: this week from Monday 00:00 to `now` against last week from Monday 00:00
  to the same weekday and clock time, each activity counted at its local start (an activity
  known only by its day at 00:00). On a Monday with nothing yet: last full week against the
  week before, said so.
- A source is stale when its latest day is more than its cadence behind `now` (from that day's
  00:00): COROS 36 h, Apple Health 48 h. A stale source's signals are left out of the verdict.
- Verdict and plan: the headline names today's planned workout (or planned rest) and never
  contradicts it.
"""

import re
from dataclasses import dataclass

import pandas as pd

from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.site.plan import Plan, Workout
from coros_dashboard.site.readiness import COROS, HEALTH

WEEK_COLUMNS = ("distance_m", "moving_s", "training_load")
CADENCE_H = {COROS: 36, HEALTH: 48}
CHECK = {
    COROS: "check the fetch workflow's last run",
    HEALTH: "check that the iOS Shortcut still runs",
}
HARD_WORDS = re.compile(
    r"interval|tempo|threshold|race|hill|fartlek|vo2|speed|track|repeat|progression", re.I
)
HARD_LOAD = 120  # a planned load this high is a hard day, whatever its name


@dataclass(frozen=True)
class WeekComparison:
    this: JsonObject  # distance_m, moving_s, training_load, count
    last: JsonObject
    until: str = ""  # "Thu 07:00": both weeks counted to this weekday and clock time
    note: str = ""  # why the weeks compared are not this one and the last

    @property
    def caption(self) -> str:
        if self.note:
            return "Last week against the one before (none yet this week)"
        return f"This week against last, to {self.until}"

    @property
    def columns(self) -> tuple[str, str]:
        return ("Last", "Before") if self.note else ("This", "Last")


def local_starts(acts: pd.DataFrame) -> pd.Series:
    """Each activity's local wall-clock start (naive), its day at 00:00 when only that is known."""
    text = acts["start_local"].astype("string").str.slice(0, 19)
    starts = pd.to_datetime(text, format="%Y-%m-%dT%H:%M:%S", errors="coerce")
    return starts.fillna(acts["date"])


def _totals(acts: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> JsonObject:
    chosen = acts[(acts["started"] >= first) & (acts["started"] <= last)]
    out: JsonObject = {c: float(chosen[c].fillna(0).sum()) for c in WEEK_COLUMNS}
    out["count"] = len(chosen)
    return out


def week_at_same_moment(acts: pd.DataFrame, now: pd.Timestamp) -> WeekComparison:
    """This week up to `now` against last week up to the same weekday and clock time (see the
    module's rules); wall-clock arithmetic, so a week across a DST change compares the same
    hours on the clock. `acts` carry their `started` (local_starts, added once by the model)."""
    monday = now.normalize() - pd.Timedelta(days=now.weekday())
    week = pd.Timedelta(days=7)
    this = _totals(acts, monday, now)
    if now.weekday() == 0 and this["count"] == 0:
        end = monday - pd.Timedelta(microseconds=1)
        return WeekComparison(
            _totals(acts, monday - week, end),
            _totals(acts, monday - 2 * week, end - week),
            note="Nothing yet this week: last week against the week before",
        )
    return WeekComparison(this, _totals(acts, monday - week, now - week), f"{now:%a %H:%M}")


@dataclass(frozen=True)
class Freshness:
    """How old a source's latest data is at `now`."""

    source: str
    latest: pd.Timestamp | None  # the latest day it holds data for
    age_h: float | None

    @property
    def stale(self) -> bool:
        return self.age_h is not None and self.age_h > CADENCE_H[self.source]

    @property
    def age(self) -> str:
        """How old, in words: "COROS data is 3 days old (latest: Mon 30 Nov)"."""
        if self.latest is None or self.age_h is None:
            return f"no {self.source} data yet"
        days = int(self.age_h // 24)
        return (
            f"{self.source} data is {days} day{'s' if days != 1 else ''} old "
            f"(latest: {self.latest:%a %d %b})"
        )

    @property
    def notice(self) -> str:
        """One line for the top of the first screen, '' when fresh (or never synced)."""
        if not self.stale:
            return ""
        return f"{self.age}: {CHECK[self.source]}. Its signals are left out of today's verdict."


def freshness(frame: pd.DataFrame, source: str, now: pd.Timestamp) -> Freshness:
    """The source's latest day with any value, and its age in hours from that day's 00:00."""
    if frame.empty:
        return Freshness(source, None, None)
    days = frame.dropna(how="all").index
    if days.empty:
        return Freshness(source, None, None)
    latest = days.max()
    return Freshness(source, latest, (now - latest) / pd.Timedelta(hours=1))


def planned_kind(workouts: list[Workout]) -> str:
    """Whether today's planned workouts are "hard" or "easy" (any hard one makes the day hard)."""
    hard = any(
        HARD_WORDS.search(f"{w.name} {w.summary or ''}") or (w.load or 0) >= HARD_LOAD
        for w in workouts
    )
    return "hard" if hard else "easy"


HEADLINE_WITH_PLAN = {  # (verdict key, planned) → headline; {name}: today's workout
    ("hard", "rest"): "Recovered — today is a planned rest day",
    ("hard", "easy"): "Ready to train — {name} as planned",
    ("hard", "hard"): "Ready for today's {name}",
    ("easy", "rest"): "Rest as planned — signals say keep it easy",
    ("easy", "easy"): "Keep it easy — {name} as planned",
    ("easy", "hard"): "Your plan says {name}; signals suggest keeping it easy — consider moving it",
    ("rest", "rest"): "Rest as planned — signals say you need it",
    ("rest", "easy"): "Rest or recover — consider skipping today's {name}",
    ("rest", "hard"): "Your plan says {name}; signals say rest — consider moving it",
}


def planned_today(plan: Plan | None) -> tuple[str, str]:
    """(what today's plan says: "none", "rest", "easy", "hard" or "done", its first workout's
    name)."""
    if plan is None:
        return "none", ""
    if plan.rest_today:
        return "rest", ""
    if not plan.today:
        return "none", ""
    left = [w for w in plan.today if not w.done_id]
    if not left:
        return "done", plan.today[0].name
    return planned_kind(left), left[0].name


def with_plan(key: str, default: str, planned: str, name: str) -> str:
    """The verdict's headline in words with today's plan: never one against the other."""
    text = HEADLINE_WITH_PLAN.get((key, planned))
    return text.format(name=name) if text else default


TODAY_VERSION = 1


def today_document(model) -> JsonObject:
    """site/today.json: the first screen's answers for the iOS Shortcut (README, "today.json"),
    from the model the page is built from, so the two never differ."""
    v = model.verdict
    night = model.night
    plan = model.plan
    week = model.views[0]
    doc: JsonObject = {
        "version": TODAY_VERSION,
        "built": model.now.isoformat(timespec="minutes"),
        "verdict": {"key": v.key, "headline": v.headline, "because": v.because + v.fine},
        "signals": [
            {
                "signal": r.label,
                "word": r.word,
                "value": r.value,
                "source": r.source,
                "as_of": r.as_of.date().isoformat() if r.as_of is not None else None,
            }
            for r in v.reasons
        ],
        "notices": list(model.notices),
        "night": None
        if night is None
        else {
            "date": night.date.date().isoformat(),
            "last_night": bool(night.date == model.today),
            "asleep": night.asleep,
            "against_mean": night.against_mean,
        },
        "planned_today": [] if plan is None else [w.name for w in plan.today],
        "rest_today": bool(plan is not None and plan.rest_today),
        "week": {"caption": week.weeks.caption if week.weeks else "", "rows": week.week},
    }
    if model.last_activity:
        doc["last_activity"] = {
            k: model.last_activity[k] for k in ("name", "date", "distance", "time")
        }
    if model.budget:
        doc["load_budget"] = model.budget.words
    if model.race_day:
        r = model.race_day
        doc["race"] = {
            "name": r.name,
            "date": r.date.date().isoformat(),
            "days_to_go": r.days_to_go,
            "form": r.form_words,
            "prediction": r.headline_words,
        }
    return doc
