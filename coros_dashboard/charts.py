"""Plotly figures (as plain figure dicts, drawn by one shared plotly.js) for every dashboard chart.

Figures carry data and chart-specific layout only; colours, fonts and grids come from the page's
light or dark theme, so one figure serves both. Contiguous daily series are sent as x0 + dx
instead of a date per point, which keeps a decade of history small.
"""

import calendar
import html
import math
from dataclasses import dataclass, field

import pandas as pd

from . import metrics
from .units import Units, format_duration

DAY_MS = 86_400_000
COLORS = {
    "fitness": "#2563eb", "fatigue": "#db2777", "form": "#9ca3af", "coros": "#f59e0b", "apple": "#10b981",
    "deep": "#1e3a8a", "core": "#3b82f6", "rem": "#93c5fd", "awake": "#f97316", "band": "rgba(16,185,129,0.15)",
}
RECENT_DAYS = 365  # bars and dots: drawing ten years of them would cost seconds on a phone
NO_ACTIVITIES = "No activities yet: run the fetch workflow (or fetch_coros.py) to load your COROS history."
NO_HEALTH = "No Apple Health data yet: set up the iOS Shortcut to send it."
NO_STAGES = NO_HEALTH + " Sleep stages need an Apple Watch worn overnight."


@dataclass
class Chart:
    id: str
    title: str
    figure: dict | None
    empty: str = ""
    link_guide: bool = False
    tall: bool = False


@dataclass
class Section:
    id: str
    title: str
    charts: list = field(default_factory=list)


def iso(ts) -> str:
    return pd.Timestamp(ts).strftime("%Y-%m-%d")


def values(series, digits: int = 1) -> list:
    """Rounded numbers with None for gaps, ready for JSON."""
    out = []
    for v in series:
        if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
            out.append(None)
        else:
            v = round(float(v), digits)
            out.append(int(v) if v.is_integer() else v)
    return out


def daily(series: pd.Series, name: str, digits: int = 1, **style) -> dict:
    """A trace for a daily series, reindexed to every day and sent as x0 + dx."""
    series = series.asfreq("D")
    return {"type": "scatter", "mode": "lines", "name": name, "x0": iso(series.index[0]), "dx": DAY_MS,
            "y": values(series, digits), **style}


def recent(series: pd.Series, days: int = RECENT_DAYS) -> pd.Series:
    """The last `days` days of a dated series (long views keep their lines, not every bar)."""
    return series[series.index > series.index.max() - pd.Timedelta(days=days)] if not series.empty else series


def figure(traces: list, **layout) -> dict:
    return {"data": traces, "layout": layout}


def last_days(index, days: int) -> dict:
    """An x axis that opens on the most recent `days` days (zoom out to see everything)."""
    end = pd.Timestamp(index.max()) + pd.Timedelta(days=1)
    return {"type": "date", "range": [iso(end - pd.Timedelta(days=days)), iso(end)]}


def text(value) -> str:
    """User text for plotly hover labels: escaped so that markup shows as text."""
    return html.escape(str(value), quote=False)


class ChartBuilder:
    """Builds the dashboard's sections from loaded frames."""

    def __init__(self, frames, units: Units, today: pd.Timestamp):
        self.acts = frames.activities
        self.daily = frames.daily
        self.health = frames.health
        self.units = units
        self.today = today
        self.load = metrics.daily_load(self.acts, today)
        self.model = metrics.fitness_fatigue(self.load) if not self.load.empty else None
        self.nights = metrics.sleep_nights(self.health)

    def sections(self) -> list:
        return [
            Section("training", "Training load & fitness", [
                self.fitness(), self.load_ratio(), self.daily_training_load(), self.acute_chronic(),
                self.calendar()]),
            Section("volume", "Volume", [
                self.weekly_volume(), self.monthly_distance(), self.year_over_year(),
                self.activities_by_type(), self.type_distribution(), self.day_of_week()]),
            Section("performance", "Performance", [
                self.pace_trend(), self.race_predictions(), self.vo2max()]),
            Section("health", "Health", [
                self.resting_hr(), self.hrv("coros"), self.hrv("apple"), self.sleep_stages(),
                self.sleep_duration(), self.sleep_breakdown(), self.spo2(), self.steps()]),
        ]

    # --- training -------------------------------------------------------------------------------

    def fitness(self) -> Chart:
        title = "Fitness, fatigue & form"
        if self.model is None:
            return Chart("fitness", title, None, NO_ACTIVITIES)
        m = self.model
        traces = [
            daily(m["fitness"], "Fitness (42-day)", line={"color": COLORS["fitness"], "width": 2}),
            daily(m["fatigue"], "Fatigue (7-day)", line={"color": COLORS["fatigue"], "width": 1}),
            daily(m["form"], "Form", line={"color": COLORS["form"], "width": 1, "dash": "dot"}),
        ]
        for column, name in (("cti", "COROS fitness (CTI)"), ("ati", "COROS fatigue (ATI)")):
            if column in self.daily and self.daily[column].notna().any():
                dash = "dash" if column == "ati" else "solid"
                traces.append(daily(self.daily[column].dropna(), name,
                                    line={"color": COLORS["coros"], "width": 1, "dash": dash}))
        return Chart("fitness", title, figure(traces, xaxis=last_days(m.index, 365), yaxis={"title": {"text": "load"}},
                                              hovermode="x unified"))

    def load_ratio(self) -> Chart:
        title = "Acute:chronic load ratio"
        if self.model is None or self.model["ratio"].isna().all():
            return Chart("acwr", title, None, NO_ACTIVITIES if self.model is None else
                         "Not enough training yet: the ratio needs a few weeks of load.")
        band = {"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "y0": 0.8, "y1": 1.3,
                "fillcolor": "rgba(16,185,129,0.15)", "line": {"width": 0}, "layer": "below"}
        trace = daily(self.model["ratio"], "Fatigue ÷ fitness", digits=2, line={"color": COLORS["fitness"]})
        return Chart("acwr", title, figure([trace], shapes=[band], xaxis=last_days(self.model.index, 365),
                                           yaxis={"title": {"text": "ratio (0.8–1.3 band)"}, "range": [0, 2.5]},
                                           showlegend=False))

    def daily_training_load(self) -> Chart:
        title = "Daily training load (last 365 days)"
        if self.load.empty:
            return Chart("daily-load", title, None, NO_ACTIVITIES)
        trace = daily(recent(self.load), "Load", digits=0, type="bar", marker={"color": COLORS["fitness"]})
        trace.pop("mode")
        return Chart("daily-load", title, figure([trace], xaxis=last_days(self.load.index, 90), showlegend=False,
                                                 yaxis={"title": {"text": "training load"}}))

    def acute_chronic(self) -> Chart:
        title = "Acute vs chronic load (COROS)"
        have = [c for c in ("ati", "cti") if c in self.daily and self.daily[c].notna().any()]
        if not have:
            return Chart("acute-chronic", title, None, "COROS has sent no acute or chronic load yet: run the fetch.")
        names = {"ati": ("Acute (ATI)", COLORS["fatigue"]), "cti": ("Chronic (CTI)", COLORS["fitness"])}
        traces = [daily(self.daily[c].dropna(), names[c][0], line={"color": names[c][1]}) for c in have]
        return Chart("acute-chronic", title, figure(traces, xaxis=last_days(self.daily.index, 180),
                                                    hovermode="x unified"))

    def calendar(self) -> Chart:
        title = "Training calendar"
        if self.load.empty:
            return Chart("calendar", title, None, NO_ACTIVITIES)
        cells = metrics.calendar_cells(self.load)
        years = sorted(cells["year"].unique(), reverse=True)
        row_of_year = {y: i * 8 for i, y in enumerate(years)}
        cells["level"] = _load_levels(cells["load"], float(self.load.quantile(0.97)))
        cells["row"] = cells["year"].map(row_of_year) + cells["weekday"]
        # one bar per day, one unit tall and wide (cells in data units scale with the screen),
        # one trace per shade so no colour is repeated per day
        traces = []
        for level, group in cells.groupby("level"):
            traces.append({
                "type": "bar", "x": group["week"].tolist(), "y": [1] * len(group), "base": group["row"].tolist(),
                "width": 0.86, "marker": {"color": CALENDAR_COLORS[level], "line": {"width": 0}},
                "text": [f"{d:%a %Y-%m-%d}: {v:.0f}" for d, v in zip(group["date"], group["load"], strict=True)],
                "hovertemplate": "%{text}<extra></extra>", "textposition": "none", "name": f"level {level}",
            })
        layout = {
            "xaxis": {"visible": False, "range": [-0.6, 53.6], "fixedrange": True},
            "yaxis": {"autorange": "reversed", "tickvals": [row_of_year[y] + 3.5 for y in years],
                      "ticktext": [str(y) for y in years], "showgrid": False, "zeroline": False, "fixedrange": True},
            "height": 40 + 84 * len(years), "showlegend": False, "bargap": 0, "margin": {"t": 4, "b": 4},
        }
        return Chart("calendar", title, figure(traces, **layout), tall=True)

    # --- volume ---------------------------------------------------------------------------------

    def weekly_volume(self) -> Chart:
        title = "Weekly volume: last 12 weeks"
        weeks = metrics.period_totals(self.acts, "W")
        if weeks.empty:
            return Chart("weekly", title, None, NO_ACTIVITIES)
        this_year = weeks[weeks.index.year == self.today.year]
        recent = weeks.iloc[-12:]
        u = self.units
        avg_dist = u.from_m(this_year["distance_m"].mean()) if not this_year.empty else None
        avg_hours = this_year["moving_s"].mean() / 3600 if not this_year.empty else None
        x = [iso(d) for d in recent.index]
        traces = [
            {"type": "bar", "x": x, "y": values(u.from_m(recent["distance_m"])), "name": f"Distance ({u.distance})",
             "marker": {"color": COLORS["fitness"]}},
            {"type": "scatter", "mode": "lines+markers", "x": x, "y": values(recent["moving_s"] / 3600),
             "name": "Time (h)", "yaxis": "y2", "line": {"color": COLORS["fatigue"]}},
        ]
        if avg_dist is not None:
            traces.append({"type": "scatter", "mode": "lines", "x": [x[0], x[-1]], "y": [round(avg_dist, 1)] * 2,
                           "name": f"{self.today.year} weekly average", "line": {"color": COLORS["fitness"],
                                                                                  "dash": "dash"}})
            traces.append({"type": "scatter", "mode": "lines", "x": [x[0], x[-1]], "y": [round(avg_hours, 1)] * 2,
                           "yaxis": "y2", "name": f"{self.today.year} average time",
                           "line": {"color": COLORS["fatigue"], "dash": "dash"}})
        layout = {"yaxis": {"title": {"text": u.distance}},
                  "yaxis2": {"title": {"text": "hours"}, "overlaying": "y", "side": "right", "showgrid": False},
                  "xaxis": {"type": "date", "tickformat": "%d %b"}, "hovermode": "x unified", "margin": {"r": 44}}
        return Chart("weekly", title, figure(traces, **layout))

    def monthly_distance(self) -> Chart:
        title = f"Monthly distance ({self.units.distance})"
        months = metrics.period_totals(self.acts, "M")
        if months.empty:
            return Chart("monthly", title, None, NO_ACTIVITIES)
        trace = {"type": "bar", "x": [d.strftime("%Y-%m") for d in months.index],
                 "y": values(self.units.from_m(months["distance_m"])), "name": "Distance",
                 "marker": {"color": COLORS["fitness"]}}
        return Chart("monthly", title, figure([trace], showlegend=False, xaxis={"type": "date"}))

    def year_over_year(self) -> Chart:
        title = f"Cumulative distance by year ({self.units.distance})"
        by_year = metrics.cumulative_by_year(self.acts)
        if not by_year:
            return Chart("year-over-year", title, None, NO_ACTIVITIES)
        traces = []
        for year, cumulative in sorted(by_year.items()):
            current = year == self.today.year
            last_day = self.today.day_of_year if current else 366 if calendar.isleap(year) else 365
            full = cumulative.reindex(range(1, last_day + 1)).ffill().fillna(0)
            traces.append({"type": "scatter", "mode": "lines", "name": str(year), "x0": "2000-01-01", "dx": DAY_MS,
                           "y": values(self.units.from_m(full), 0),
                           "line": {"width": 3 if current else 1.5}, "opacity": 1 if current else 0.7})
        return Chart("year-over-year", title, figure(traces, xaxis={"type": "date", "tickformat": "%b"},
                                                     hovermode="x unified"))

    def activities_by_type(self) -> Chart:
        title = "Activities by type"
        if self.acts.empty:
            return Chart("by-type", title, None, NO_ACTIVITIES)
        counts = self.acts["sport"].value_counts().sort_values()
        trace = {"type": "bar", "orientation": "h", "x": counts.tolist(), "y": [text(s) for s in counts.index],
                 "marker": {"color": COLORS["fitness"]}}
        return Chart("by-type", title, figure([trace], showlegend=False, margin={"l": 110},
                                              height=max(260, 60 + 24 * len(counts))))

    def type_distribution(self) -> Chart:
        title = "Share of moving time by type"
        if self.acts.empty:
            return Chart("type-share", title, None, NO_ACTIVITIES)
        hours = (self.acts.groupby("sport")["moving_s"].sum() / 3600).sort_values(ascending=False)
        trace = {"type": "pie", "labels": [text(s) for s in hours.index], "values": values(hours),
                 "hole": 0.45, "textinfo": "percent", "textposition": "inside", "sort": False}
        return Chart("type-share", title, figure([trace]))

    def day_of_week(self) -> Chart:
        title = "Activities by day of week"
        if self.acts.empty:
            return Chart("weekday", title, None, NO_ACTIVITIES)
        counts = self.acts["date"].dt.day_of_week.value_counts().reindex(range(7), fill_value=0)
        trace = {"type": "bar", "x": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], "y": counts.tolist(),
                 "marker": {"color": COLORS["fitness"]}}
        return Chart("weekday", title, figure([trace], showlegend=False))

    # --- performance ----------------------------------------------------------------------------

    def pace_trend(self) -> Chart:
        u = self.units
        title = f"Running pace ({u.pace})"
        runs = metrics.run_paces(self.acts)
        if runs.empty:
            return Chart("pace", title, None, "No runs of 1 km or more yet.")
        pace = u.pace_from_s_per_km(runs["pace"])
        trend = u.pace_from_s_per_km(runs["trend"])
        dots = runs["date"] > runs["date"].max() - pd.Timedelta(days=3 * 365)
        labels = [f"{text(n)}<br>{format_duration(p)} /{u.distance}, {u.from_m(k * 1000):.1f} {u.distance}"
                  for n, p, k in zip(runs["name"][dots], pace[dots], runs["km"][dots], strict=True)]
        ticks = _pace_ticks(pace)
        traces = [
            {"type": "scatter", "mode": "markers", "x": [iso(d) for d in runs["date"][dots]],
             "y": values(pace[dots] / 60, 2), "name": "Run (last 3 years)",
             "marker": {"size": 4, "color": COLORS["form"]}, "text": labels, "hovertemplate": "%{text}<extra></extra>"},
            {"type": "scatter", "mode": "lines", "x": [iso(d) for d in runs["date"]], "y": values(trend / 60, 2),
             "name": "Trend (15 runs)", "line": {"color": COLORS["fitness"], "width": 2}, "hoverinfo": "skip"},
        ]
        layout = {"yaxis": {"autorange": "reversed", "tickvals": [t / 60 for t in ticks],
                            "ticktext": [format_duration(t) for t in ticks], "title": {"text": u.pace}},
                  "xaxis": last_days(runs["date"], 730)}
        return Chart("pace", title, figure(traces, **layout))

    def race_predictions(self) -> Chart:
        u = self.units
        title = f"Race predictions from COROS (pace, {u.pace})"
        races = [("race_5k_s", "5K", 5), ("race_10k_s", "10K", 10), ("race_half_s", "Half marathon", 21.0975),
                 ("race_marathon_s", "Marathon", 42.195)]
        traces, all_paces = [], []
        for column, name, km in races:
            if column not in self.daily:
                continue
            times = self.daily[column].dropna()
            if times.empty:
                continue
            pace = u.pace_from_s_per_km(times / km)
            all_paces.extend(pace.tolist())
            traces.append({"type": "scatter", "mode": "lines+markers", "name": name, "x": [iso(d) for d in times.index],
                           "y": values(pace / 60, 2), "text": [format_duration(t) for t in times],
                           "hovertemplate": f"{name}: %{{text}}<extra></extra>", "marker": {"size": 4}})
        if not traces:
            return Chart("races", title, None, "COROS has no race predictions yet: they appear after a few runs "
                                               "with heart rate.")
        ticks = _pace_ticks(pd.Series(all_paces))
        dates = self.daily.index[self.daily[[c for c, _, _ in races if c in self.daily]].notna().any(axis=1)]
        first = min(dates.min(), dates.max() - pd.Timedelta(days=30))
        layout = {"yaxis": {"autorange": "reversed", "tickvals": [t / 60 for t in ticks],
                            "ticktext": [format_duration(t) for t in ticks]},
                  "xaxis": {"type": "date", "range": [iso(first), iso(dates.max() + pd.Timedelta(days=1))]},
                  "hovermode": "x unified"}
        return Chart("races", title, figure(traces, **layout))

    def vo2max(self) -> Chart:
        title = "VO₂max (COROS)"
        if "vo2max" not in self.daily or self.daily["vo2max"].isna().all():
            return Chart("vo2max", title, None, "COROS has not estimated VO₂max yet: it needs runs with heart rate.")
        trace = daily(self.daily["vo2max"].dropna(), "VO₂max", digits=0, line={"color": COLORS["fitness"]},
                      connectgaps=True)
        return Chart("vo2max", title, figure([trace], showlegend=False))

    # --- health ---------------------------------------------------------------------------------

    def resting_hr(self) -> Chart:
        title = "Resting heart rate (bpm)"
        traces = []
        for frame, column, name, color in ((self.daily, "resting_hr", "COROS", COLORS["coros"]),
                                           (self.health, "resting_hr", "Apple Health", COLORS["apple"])):
            if column in frame and frame[column].notna().any():
                traces.append(daily(frame[column].dropna(), name, digits=0, line={"color": color, "width": 1}))
        if not traces:
            return Chart("resting-hr", title, None, "No resting heart rate yet from COROS or Apple Health.", True)
        return Chart("resting-hr", title, figure(traces, xaxis=last_days(self._health_index(), 180),
                                                 hovermode="x unified"))

    def hrv(self, source: str) -> Chart:
        if source == "coros":
            chart_id, title, series = "hrv-coros", "Sleep HRV — COROS (ms)", self.daily.get("sleep_hrv_ms")
            empty, link = "No sleep HRV from COROS yet: it needs a few nights wearing a watch that measures it.", False
        else:
            chart_id, title, series = "hrv-apple", "HRV — Apple Health (ms)", self.health.get("hrv_ms")
            empty, link = NO_HEALTH, True
        if series is None or series.dropna().empty:
            return Chart(chart_id, title, None, empty, link)
        frame = metrics.rolling_baseline(series)
        color = COLORS["coros"] if source == "coros" else COLORS["apple"]
        traces = [
            daily(frame["low"], "Baseline −1 SD", line={"width": 0}, hoverinfo="skip", showlegend=False),
            daily(frame["high"], "Baseline (60-day ± 1 SD)", line={"width": 0}, fill="tonexty",
                  fillcolor="rgba(148,163,184,0.25)", hoverinfo="skip"),
            daily(recent(frame["value"]), "Nightly", mode="markers", marker={"size": 3, "color": color}),
            daily(frame["mean"], "7-day mean", line={"color": color, "width": 2}),
        ]
        return Chart(chart_id, title, figure(traces, xaxis=last_days(frame.index, 180), hovermode="x unified"))

    def sleep_stages(self) -> Chart:
        title = "Nightly sleep stages (hours, last 365 nights)"
        nights = self.nights
        stages = [(f"sleep_{s}_min", s.upper() if s == "rem" else s.capitalize()) for s in ("deep", "core", "rem",
                                                                                             "awake")]
        stages = [(c, n) for c, n in stages if c in nights and nights[c].notna().any()]
        if nights.empty or not stages:
            return Chart("sleep-stages", title, None, NO_STAGES, True)
        traces = []
        for column, name in stages:
            trace = daily(recent(nights[column]) / 60, name, digits=2, type="bar",
                          marker={"color": COLORS[column.split("_")[1]]})
            trace.pop("mode")
            traces.append(trace)
        return Chart("sleep-stages", title, figure(traces, barmode="stack", xaxis=last_days(nights.index, 60),
                                                   hovermode="x unified"))

    def sleep_duration(self) -> Chart:
        title = "Nightly sleep duration (hours)"
        nights = self.nights
        if nights.empty:
            return Chart("sleep-duration", title, None, NO_HEALTH, True)
        hours = nights["total_min"] / 60
        bars = daily(recent(hours), "Asleep", digits=2, type="bar", marker={"color": COLORS["core"]})
        bars.pop("mode")
        mean = daily(hours.asfreq("D").rolling(7, min_periods=3).mean(), "7-night mean", digits=2,
                     line={"color": COLORS["fatigue"], "width": 2})
        return Chart("sleep-duration", title, figure([bars, mean], xaxis=last_days(nights.index, 90),
                                                     hovermode="x unified"))

    def sleep_breakdown(self) -> Chart:
        title = "Average sleep stages (last 90 nights)"
        nights = self.nights
        columns = [c for c in ("sleep_deep_min", "sleep_core_min", "sleep_rem_min", "sleep_awake_min") if c in nights]
        recent = nights[nights.index > nights.index.max() - pd.Timedelta(days=90)] if not nights.empty else nights
        means = recent[columns].mean() if columns else pd.Series(dtype="float64")
        if means.dropna().empty:
            return Chart("sleep-breakdown", title, None, NO_STAGES, True)
        means = means.dropna()
        names = [c.split("_")[1] for c in means.index]
        trace = {"type": "pie", "labels": [n.upper() if n == "rem" else n.capitalize() for n in names],
                 "values": values(means, 0), "hole": 0.45, "sort": False,
                 "marker": {"colors": [COLORS[n] for n in names]}, "texttemplate": "%{label}<br>%{value} min"}
        return Chart("sleep-breakdown", title, figure([trace]))

    def spo2(self) -> Chart:
        title = "Blood oxygen, SpO₂ (%)"
        if "spo2_pct" not in self.health or self.health["spo2_pct"].isna().all():
            return Chart("spo2", title, None, NO_HEALTH, True)
        trace = daily(self.health["spo2_pct"].dropna(), "SpO₂", line={"color": COLORS["apple"], "width": 1})
        return Chart("spo2", title, figure([trace], showlegend=False, xaxis=last_days(self.health.index, 180),
                                           yaxis={"range": [85, 100.5]}))

    def steps(self) -> Chart:
        title = "Daily steps"
        if "steps" not in self.health or self.health["steps"].isna().all():
            return Chart("steps", title, None, NO_HEALTH, True)
        steps = self.health["steps"].dropna()
        bars = daily(recent(steps), "Steps", digits=0, type="bar", marker={"color": COLORS["apple"]})
        bars.pop("mode")
        mean = daily(steps.asfreq("D").rolling(7, min_periods=3).mean(), "7-day mean", digits=0,
                     line={"color": COLORS["fitness"], "width": 2})
        return Chart("steps", title, figure([bars, mean], xaxis=last_days(steps.index, 90), hovermode="x unified"))

    def _health_index(self):
        frames = [f.index for f in (self.daily, self.health) if not f.empty]
        return frames[0].union(frames[1]) if len(frames) == 2 else frames[0]


CALENDAR_COLORS = ["rgba(148,163,184,0.22)", "#bfdbfe", "#60a5fa", "#2563eb", "#1e3a8a"]


def _load_levels(load: pd.Series, top: float) -> list:
    """GitHub-style levels 0–4: rest days 0, then four shades up to the 97th percentile of load."""
    top = max(top, 1.0)
    return [0 if v <= 0 else min(4, 1 + int(3 * v / top)) for v in load]


def _pace_ticks(paces: pd.Series) -> list:
    """Tick positions every 15 or 30 s of pace across the data's range (seconds per unit)."""
    paces = paces.dropna()
    if paces.empty:
        return []
    low, high = math.floor(paces.quantile(0.01) / 15) * 15, math.ceil(paces.quantile(0.99) / 15) * 15
    step = 15 if high - low <= 120 else 30 if high - low <= 300 else 60
    return list(range(int(low), int(high) + 1, step))
