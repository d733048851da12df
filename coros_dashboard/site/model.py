"""The dashboard model: everything the page shows, derived once from the loaded frames.

Data flows one way: frames → this model → chart functions → the template. The model holds the
derived series (load, fitness, nights), one `View` per sport group the athlete has (All first),
and the "today" status, with every value already formatted for display (templates only place
values). No server: every view is prepared here, at build time.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.site import metrics, morning
from coros_dashboard.site.archive import archive_rows
from coros_dashboard.site.depth import Depth, build_depth
from coros_dashboard.site.morning import WeekComparison
from coros_dashboard.site.plan import Plan, build_plan
from coros_dashboard.site.race_day import Budget, RaceDay, build_race_day, today_budget
from coros_dashboard.site.readiness import COROS, HEALTH, Night, Verdict, readiness
from coros_dashboard.site.same_route import Peers, find_peers
from coros_dashboard.site.units import (
    Units,
    format_count,
    format_duration,
    format_hm,
    format_hours,
    format_int,
)
from coros_dashboard.sports import GROUPS, OTHER, group_label, sport_group, sport_name
from coros_dashboard.store.datafiles import PREDICTED_RACES, race_column

WINDOWS = {"1M": 31, "3M": 92, "1Y": 366}
WINDOW_WORDS = {"1M": "last month", "3M": "last 3 months", "1Y": "last year", "All": "all history"}
RECENT_COUNT = 20
DISTANCE_GROUPS = ("run", "ride", "swim", "walk")


@dataclass
class View:
    """One sport view: All, or a group such as Run, with what the page shows for it."""

    key: str
    label: str
    acts: pd.DataFrame
    headline: list[JsonObject] = field(default_factory=list)  # [{label, big, detail}]
    records: list[JsonObject] = field(default_factory=list)  # [{label, value, name, date, id}]
    recent: list[JsonObject] = field(default_factory=list)  # formatted rows
    measure: str = "distance"  # what the calendar shades: "distance" or "load"
    # this week against last at the same moment: [{label, this, last, delta}]
    week: list[JsonObject] = field(default_factory=list)
    weeks: WeekComparison | None = None

    @property
    def count_text(self) -> str:
        return format_count(len(self.acts), "activity", "activities")


@dataclass
class Model:
    units: Units
    today: pd.Timestamp
    first_screen: "Today"  # its answers, and the activities, load and nights they come from
    daily: pd.DataFrame
    health: pd.DataFrame
    profile: JsonObject
    views: list[View]
    default_view: str
    races: list[JsonObject]  # [{race, time, change_30, change_90}]
    depth: Depth | None = None  # what the activity details add, None without details
    peers: dict[str, Peers] = field(default_factory=dict)  # activity id → same route or similar
    last_activity: JsonObject | None = None  # the latest activity begun by now, formatted
    race_day: RaceDay | None = None  # the next race in races.json, None without one
    races_problem: str = ""  # why races.json was left out

    # what the first screen answers: read from `first_screen`, built once and never copied
    @property
    def acts(self) -> pd.DataFrame:
        return self.first_screen.acts

    @property
    def load(self) -> pd.Series:
        return self.first_screen.load

    @property
    def fitness(self) -> pd.DataFrame | None:
        return self.first_screen.fitness

    @property
    def nights(self) -> pd.DataFrame:
        return self.first_screen.nights

    @property
    def verdict(self) -> Verdict:
        return self.first_screen.verdict

    @property
    def night(self) -> Night | None:  # last night's sleep
        return self.first_screen.night

    @property
    def plan(self) -> Plan | None:  # plan vs done, None without a plan
        return self.first_screen.plan

    @property
    def now(self) -> pd.Timestamp:  # the build's local wall-clock time
        return self.first_screen.now

    @property
    def notices(self) -> list[str]:  # a stale source each
        return self.first_screen.notices

    @property
    def rest_in_headline(self) -> bool:
        return self.first_screen.rest_in_headline

    @property
    def budget(self) -> Budget | None:
        return self.first_screen.budget

    def view(self, key: str) -> View:
        return next(v for v in self.views if v.key == key)


@dataclass(frozen=True)
class Today:
    """The first screen's answers at `now`: what the morning replay checks, morning by morning."""

    now: pd.Timestamp
    acts: pd.DataFrame  # with sport and group
    load: pd.Series
    fitness: pd.DataFrame | None
    nights: pd.DataFrame
    verdict: Verdict
    night: Night | None
    plan: Plan | None
    notices: list[str]  # a stale source each
    stale: dict[str, str]  # source → how old
    rest_in_headline: bool  # the verdict's headline names today's planned rest
    budget: Budget | None = None  # today's load budget, None in the model's warm-up


def build_today(frames, units: Units, now: pd.Timestamp) -> Today:
    """Verdict, night, plan and notices as they stand at `now` (the build's local wall-clock
    time), without the charts, views and pages around them."""
    today = now.normalize()
    acts = frames.activities.copy()
    if not acts.empty:
        acts["sport"] = acts["sport_code"].map(
            lambda c: sport_name(int(c)) if pd.notna(c) else "Other"
        )
        acts["group"] = acts["sport_code"].map(
            lambda c: sport_group(int(c)) if pd.notna(c) else OTHER
        )
    else:
        acts["group"] = pd.Series(dtype="string")
    acts["started"] = morning.local_starts(acts)  # parsed once: the week and the last activity
    load = metrics.daily_load(acts, today)
    fitness = metrics.fitness_fatigue(load) if not load.empty else None
    nights = metrics.sleep_nights(frames.health)
    sources = [
        morning.freshness(frames.daily, COROS, now),
        morning.freshness(frames.health, HEALTH, now),
    ]
    stale = {f.source: f.age for f in sources if f.stale}
    verdict, night = readiness(frames.daily, frames.health, nights, fitness, load, today, stale)
    plan = build_plan(frames.plan, acts, today, units)
    planned, name = morning.planned_today(plan)
    verdict = replace(
        verdict, headline=morning.with_plan(verdict.key, verdict.headline, planned, name)
    )
    return Today(
        now,
        acts,
        load,
        fitness,
        nights,
        verdict,
        night,
        plan,
        [f.notice for f in sources if f.notice],
        stale,
        (verdict.key, planned) in morning.HEADLINE_WITH_PLAN and planned == "rest",
        today_budget(fitness, load, plan, today),
    )


def build_model(
    frames,
    units: Units,
    today: pd.Timestamp,
    details: Mapping[str, JsonObject] | None = None,
    now: pd.Timestamp | None = None,
) -> Model:
    """The page's model as it stands at `now` (the build's local wall-clock time; the end of
    `today` when not given)."""
    now = now if now is not None else today + pd.Timedelta(days=1) - pd.Timedelta(seconds=1)
    answers = build_today(frames, units, now)
    acts = answers.acts
    views = build_views(acts, units, today, now)
    depth = build_depth(acts, details or {}, units, today)
    return Model(
        units,
        today,
        answers,
        frames.daily,
        frames.health,
        frames.profile,
        views,
        main_sport(acts, today),
        race_table(frames.daily, today),
        depth,
        find_peers(acts, depth.routes) if not acts.empty else {},
        last_begun(acts, units, now),
        build_race_day(
            frames.races,
            acts,
            answers.plan,
            answers.load,
            answers.fitness,
            frames.daily,
            depth.efforts if depth else None,
            units,
            today,
        ),
        frames.races_problem,
    )


def last_begun(acts: pd.DataFrame, units: Units, now: pd.Timestamp) -> JsonObject | None:
    """The latest activity that had begun by `now`, as the lists show it."""
    if acts.empty:
        return None
    begun = acts[acts["started"] <= now]
    return archive_rows(begun, units, 1)[0] if not begun.empty else None


def main_sport(acts: pd.DataFrame, today: pd.Timestamp) -> str:
    """The group with the most moving time in the last 365 days: the view the page opens on."""
    if acts.empty:
        return "all"
    recent = acts[acts["date"] > today - pd.Timedelta(days=365)]
    recent = recent if not recent.empty else acts
    time = recent.groupby("group")["moving_s"].sum()
    time = time.drop(OTHER, errors="ignore")
    return str(time.idxmax()) if not time.empty and time.max() > 0 else "all"


def build_views(
    acts: pd.DataFrame, units: Units, today: pd.Timestamp, now: pd.Timestamp
) -> list[View]:
    views = [View("all", "All sports", acts, measure="load")]
    for key in [*GROUPS, OTHER]:
        chosen = acts[acts["group"] == key] if not acts.empty else acts
        if not chosen.empty:
            views.append(
                View(
                    key,
                    group_label(key),
                    chosen,
                    measure="distance" if key in DISTANCE_GROUPS else "load",
                )
            )
    for view in views:
        view.headline = headline_cards(view.acts, units, today, view.measure == "distance")
        view.weeks = morning.week_at_same_moment(view.acts, now)
        view.week = week_rows(view.weeks, units, view.key == "all" or view.measure == "distance")
        view.records = record_rows(view.acts, units)
        view.recent = archive_rows(view.acts, units, RECENT_COUNT)
    return views


def headline_cards(
    acts: pd.DataFrame, units: Units, today: pd.Timestamp, by_distance: bool = True
) -> list[JsonObject]:
    """This month, year and all time: distance first, or time for sports without distance."""
    if acts.empty:
        return []
    totals = metrics.headline(acts, today)
    labels = {"month": "This month", "year": "This year", "all": "All time"}
    by_distance = by_distance or totals["all"]["distance_m"] > 0
    cards = []
    for key, label in labels.items():
        t = totals[key]
        parts = [format_count(t["count"], "activity", "activities")]
        if by_distance:
            big = units.distance_text(t["distance_m"], 0)
            parts += [format_hours(t["moving_s"]), f"{units.elevation_text(t['ascent_m'])} up"]
        else:
            big = format_hours(t["moving_s"])
        cards.append({"key": key, "label": label, "big": big, "detail": " · ".join(parts)})
    return cards


def week_rows(weeks: WeekComparison, units: Units, with_distance: bool) -> list[JsonObject]:
    """This week to now against last week to the same moment, as table rows with deltas."""
    this, last = weeks.this, weeks.last

    def signed(delta: float, text: str) -> str:
        if round(delta, 6) == 0:
            return "±0"
        return ("+" if delta > 0 else "−") + text

    rows = []
    if with_distance:
        d = this["distance_m"] - last["distance_m"]
        rows.append(
            (
                "Distance",
                units.distance_text(this["distance_m"]),
                units.distance_text(last["distance_m"]),
                signed(d, units.distance_text(abs(d))),
            )
        )
    t = this["moving_s"] - last["moving_s"]
    rows.append(
        (
            "Time",
            format_hm(this["moving_s"] / 60),
            format_hm(last["moving_s"] / 60),
            signed(round(t / 60), format_hm(abs(t) / 60)),
        )
    )
    load = this["training_load"] - last["training_load"]
    rows.append(
        (
            "Load",
            format_int(this["training_load"]),
            format_int(last["training_load"]),
            signed(round(load), format_int(abs(load))),
        )
    )
    n = this["count"] - last["count"]
    rows.append(("Activities", str(this["count"]), str(last["count"]), signed(n, str(abs(n)))))
    return [{"label": r[0], "this": r[1], "last": r[2], "delta": r[3]} for r in rows]


def record_rows(acts: pd.DataFrame, units: Units) -> list[JsonObject]:
    rows = []
    found = metrics.records(acts)
    if "longest" in found:
        a = found["longest"]
        rows.append(
            {
                "label": "Longest",
                "value": units.distance_text(a["distance_m"], 2),
                "name": a["name"],
                "date": a["date"].strftime("%Y-%m-%d"),
                "id": a["id"],
            }
        )
    if "most_ascent" in found:
        a = found["most_ascent"]
        rows.append(
            {
                "label": "Most ascent",
                "value": units.elevation_text(a["ascent_m"]),
                "name": a["name"],
                "date": a["date"].strftime("%Y-%m-%d"),
                "id": a["id"],
            }
        )
    if "biggest_week" in found:
        w = found["biggest_week"]
        rows.append(
            {
                "label": "Biggest week",
                "value": units.distance_text(w["distance_m"]),
                "name": format_count(int(w["count"]), "activity", "activities"),
                "date": f"week of {w['start']:%Y-%m-%d}",
                "id": None,
            }
        )
    if "biggest_month" in found:
        m = found["biggest_month"]
        rows.append(
            {
                "label": "Biggest month",
                "value": units.distance_text(m["distance_m"]),
                "name": format_count(int(m["count"]), "activity", "activities"),
                "date": f"{m['start']:%B %Y}",
                "id": None,
            }
        )
    return rows


RACE_NAMES = {
    race_column(race): name
    for race, name in zip(PREDICTED_RACES, ("5K", "10K", "Half marathon", "Marathon"), strict=True)
}


def race_table(daily: pd.DataFrame, today: pd.Timestamp) -> list[JsonObject]:
    """COROS's predicted finish times with their change over 30 and 90 days (negative: faster)."""
    rows = []
    for column, name in RACE_NAMES.items():
        if column not in daily or daily[column].dropna().empty:
            continue
        series = daily[column].dropna()
        now = series.iloc[-1]

        def change(days, series=series, now=now):
            before = series[series.index <= series.index[-1] - pd.Timedelta(days=days)]
            if before.empty:
                return "–"
            delta = now - before.iloc[-1]
            if delta == 0:
                return "±0:00"
            return ("−" if delta < 0 else "+") + format_duration(abs(delta))

        rows.append(
            {
                "race": name,
                "time": format_duration(now),
                "change_30": change(30),
                "change_90": change(90),
                "as_of": series.index[-1].strftime("%Y-%m-%d"),
            }
        )
    return rows
