"""The dashboard model: everything the page shows, derived once from the loaded frames.

Data flows one way: frames → this model → chart functions → the template. The model holds the
derived series (load, fitness, nights), one `View` per sport group the athlete has (All first),
and the "today" status, with every value already formatted for display (templates only place
values). No server: every view is prepared here, at build time.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from coros_dashboard.site import metrics
from coros_dashboard.site.depth import Depth, build_depth
from coros_dashboard.site.units import Units, format_duration, format_hours, format_int
from coros_dashboard.sports import GROUPS, OTHER, RUN_CODES, group_label, sport_group, sport_name

# Form (fitness − fatigue) as a share of fitness → zone, the scheme intervals.icu popularised:
# above +20 % transitional, above +5 % fresh, −10 % to +5 % grey, −30 % to −10 % optimal, below high risk.
FORM_ZONES = [
    (lambda s: s > 0.20, "transitional", "Transitional: fitness is fading; time to train"),
    (lambda s: s > 0.05, "fresh", "Fresh: ready to race"),
    (lambda s: s >= -0.10, "grey", "Grey zone: maintaining"),
    (lambda s: s >= -0.30, "optimal", "Optimal: building fitness"),
    (lambda s: True, "high-risk", "High risk: fatigue far above fitness; rest"),
]
WINDOWS = {"1M": 31, "3M": 92, "1Y": 366}
WINDOW_WORDS = {"1M": "last month", "3M": "last 3 months", "1Y": "last year", "All": "all history"}
RECENT_COUNT = 20


def form_zone(fitness: float, fatigue: float) -> tuple:
    """(zone key, sentence) for form = fitness − fatigue relative to fitness (thresholds above)."""
    if not fitness or fitness <= 0:
        return "none", "Not enough training yet"
    share = (fitness - fatigue) / fitness
    return next((key, text) for test, key, text in FORM_ZONES if test(share))


@dataclass
class View:
    """One sport view: All, or a group such as Run, with what the page shows for it."""

    key: str
    label: str
    acts: pd.DataFrame
    headline: list = field(default_factory=list)  # [{label, big, detail}]
    records: list = field(default_factory=list)  # [{label, value, name, date, id}]
    recent: list = field(default_factory=list)  # formatted rows
    measure: str = "distance"  # what the calendar shades: "distance" or "load"


@dataclass
class Model:
    units: Units
    today: pd.Timestamp
    acts: pd.DataFrame
    daily: pd.DataFrame
    health: pd.DataFrame
    profile: dict
    load: pd.Series
    fitness: pd.DataFrame | None
    nights: pd.DataFrame
    views: list
    default_view: str
    status: list  # the "today" lines: [{label, value, detail, tone}]
    races: list  # [{race, time, change_30, change_90}]
    depth: Depth | None = None  # what the activity details add, None without details

    def view(self, key: str) -> View:
        return next(v for v in self.views if v.key == key)


def build_model(
    frames, units: Units, today: pd.Timestamp, details: Mapping[str, dict] | None = None
) -> Model:
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
    load = metrics.daily_load(acts, today)
    fitness = metrics.fitness_fatigue(load) if not load.empty else None
    views = build_views(acts, units, today)
    return Model(
        units,
        today,
        acts,
        frames.daily,
        frames.health,
        frames.profile,
        load,
        fitness,
        metrics.sleep_nights(frames.health),
        views,
        main_sport(acts, today),
        today_status(acts, frames.daily, frames.health, load, fitness, today),
        race_table(frames.daily, today),
        build_depth(acts, details or {}, units, today),
    )


def main_sport(acts: pd.DataFrame, today: pd.Timestamp) -> str:
    """The group with the most moving time in the last 365 days: the view the page opens on."""
    if acts.empty:
        return "all"
    recent = acts[acts["date"] > today - pd.Timedelta(days=365)]
    recent = recent if not recent.empty else acts
    time = recent.groupby("group")["moving_s"].sum()
    time = time.drop(OTHER, errors="ignore")
    return str(time.idxmax()) if not time.empty and time.max() > 0 else "all"


def build_views(acts: pd.DataFrame, units: Units, today: pd.Timestamp) -> list:
    views = [View("all", "All sports", acts, measure="load")]
    for key in [*GROUPS, OTHER]:
        chosen = acts[acts["group"] == key] if not acts.empty else acts
        if not chosen.empty:
            views.append(
                View(
                    key,
                    group_label(key),
                    chosen,
                    measure="distance" if key in ("run", "ride", "swim", "walk") else "load",
                )
            )
    for view in views:
        view.headline = headline_cards(view.acts, units, today)
        view.records = record_rows(view.acts, units)
        view.recent = recent_rows(view.acts, units)
    return views


def headline_cards(acts: pd.DataFrame, units: Units, today: pd.Timestamp) -> list:
    if acts.empty:
        return []
    totals = metrics.headline(acts, today)
    labels = {"week": "This week", "month": "This month", "year": "This year", "all": "All time"}
    cards = []
    for key, label in labels.items():
        t = totals[key]
        count = f"{t['count']} activit{'y' if t['count'] == 1 else 'ies'}"
        cards.append(
            {
                "key": key,
                "label": label,
                "big": units.distance_text(t["distance_m"], 0),
                "detail": f"{count} · {format_hours(t['moving_s'])} · {units.elevation_text(t['ascent_m'])} up",
            }
        )
    return cards


def record_rows(acts: pd.DataFrame, units: Units) -> list:
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
                "name": f"{int(w['count'])} activities",
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
                "name": f"{int(m['count'])} activities",
                "date": f"{m['start']:%B %Y}",
                "id": None,
            }
        )
    return rows


def recent_rows(acts: pd.DataFrame, units: Units) -> list:
    rows = []
    for _, a in acts.iloc[::-1].head(RECENT_COUNT).iterrows():
        distance = a["distance_m"] if pd.notna(a["distance_m"]) and a["distance_m"] > 0 else None
        pace = a["moving_s"] / (distance / 1000) if distance and pd.notna(a["moving_s"]) else None
        rows.append(
            {
                "id": a["id"],
                "date": a["date"].strftime("%Y-%m-%d"),
                "weekday": a["date"].strftime("%a"),
                "sport": a["sport"],
                "name": a["name"],
                "distance": units.distance_text(distance, 2) if distance else "–",
                "time": format_duration(a["moving_s"]),
                "pace": units.pace_text(pace) if pace and a["sport_code"] in RUN_CODES else "–",
                "load": format_int(a["training_load"]),
                "hr": f"{int(a['avg_hr'])} bpm"
                if pd.notna(a["avg_hr"]) and a["avg_hr"] > 0
                else "–",
            }
        )
    return rows


def _last(series: pd.Series | None, today: pd.Timestamp, days: int = 3):
    """The latest value of a dated series if it is at most `days` old, else None."""
    if series is None:
        return None
    series = series.dropna()
    series = series[series.index <= today]
    if series.empty or series.index[-1] < today - pd.Timedelta(days=days):
        return None
    return float(series.iloc[-1])


def _baseline(series: pd.Series | None, today: pd.Timestamp, days: int = 60):
    if series is None:
        return None
    window = series.dropna()
    window = window[(window.index > today - pd.Timedelta(days=days)) & (window.index < today)]
    return float(window.mean()) if len(window) >= 7 else None


def today_status(acts, daily, health, load, fitness, today) -> list:
    """The 'today' lines, each {label, value, detail, tone}: what a runner checks first."""
    lines = []
    if fitness is not None and today in fitness.index:
        row = fitness.loc[today]
        key, sentence = form_zone(row["fitness"], row["fatigue"])
        lines.append(
            {"label": "Form", "value": f"{row['form']:+.0f}", "detail": sentence, "tone": key}
        )
        ratio = row["ratio"]
        if pd.notna(ratio):
            tone = "optimal" if 0.8 <= ratio <= 1.3 else "high-risk" if ratio > 1.5 else "grey"
            lines.append(
                {
                    "label": "Acute:chronic",
                    "value": f"{ratio:.2f}",
                    "detail": "in the 0.8–1.3 range"
                    if tone == "optimal"
                    else "above 1.3: load rising fast"
                    if ratio > 1.3
                    else "below 0.8: load falling",
                    "tone": tone,
                }
            )
    if not load.empty:
        week = load[load.index > today - pd.Timedelta(days=7)].sum()
        low = _last(daily.get("recommended_load_min"), today, 7)
        high = _last(daily.get("recommended_load_max"), today, 7)
        if low is not None and high is not None:  # COROS recommends a range per day
            per_day = week / 7
            tone = "optimal" if low <= per_day <= high else "grey" if per_day < low else "high-risk"
            where = "within" if tone == "optimal" else "below" if per_day < low else "above"
            lines.append(
                {
                    "label": "Load, last 7 days",
                    "value": format_int(week),
                    "detail": f"{per_day:.0f} a day: {where} COROS's recommended {low:.0f}–{high:.0f} a day",
                    "tone": tone,
                }
            )
        else:
            lines.append(
                {
                    "label": "Load, last 7 days",
                    "value": format_int(week),
                    "detail": "",
                    "tone": "none",
                }
            )
        rest = load[(load <= 0) & (load.index <= today)]
        since = (
            (today - rest.index[-1]).days if not rest.empty else (today - load.index[0]).days + 1
        )
        lines.append(
            {
                "label": "Since a rest day",
                "value": f"{since} day{'s' if since != 1 else ''}",
                "detail": "rest soon" if since >= 7 else "",
                "tone": "high-risk" if since >= 10 else "grey" if since >= 7 else "none",
            }
        )
    for label, frame, column, unit, higher_is_better in (
        ("HRV last night", daily, "sleep_hrv_ms", "ms", True),
        ("HRV last night", health, "hrv_ms", "ms", True),
        ("Resting HR", daily, "resting_hr", "bpm", False),
        ("Resting HR", health, "resting_hr", "bpm", False),
    ):
        if any(line["label"] == label for line in lines):
            continue
        value = _last(frame.get(column) if not frame.empty else None, today, 2)
        base = _baseline(frame.get(column) if not frame.empty else None, today)
        if value is None:
            continue
        detail, tone = "", "none"
        if base:
            change = (value - base) / base
            good = change >= -0.05 if higher_is_better else change <= 0.05
            tone = "optimal" if good else "grey" if abs(change) < 0.10 else "high-risk"
            detail = f"60-day baseline {base:.0f} {unit} ({'±0%' if abs(change) < 0.005 else f'{change:+.0%}'})"
        lines.append(
            {"label": label, "value": f"{value:.0f} {unit}", "detail": detail, "tone": tone}
        )
    return lines


RACE_NAMES = {
    "race_5k_s": "5K",
    "race_10k_s": "10K",
    "race_half_s": "Half marathon",
    "race_marathon_s": "Marathon",
}


def race_table(daily: pd.DataFrame, today: pd.Timestamp) -> list:
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
            return (
                "±0:00" if delta == 0 else ("−" if delta < 0 else "+") + format_duration(abs(delta))
            )

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
