"""Training and health metrics: pure functions from frames to frames, series and numbers."""

import math
from typing import Any

import numpy as np
import pandas as pd

from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.sports import RUN_CODES

FITNESS_DAYS, FATIGUE_DAYS = 42, 7
WARM_UP_DAYS = FITNESS_DAYS  # the model starts from zero fitness: its first weeks mean little


def daily_load(acts: pd.DataFrame, end: pd.Timestamp | None = None) -> pd.Series:
    """Training load per local day, every day from the first activity to `end` (0 on rest days)."""
    if acts.empty:
        return pd.Series(dtype="float64")
    load = acts.groupby("date")["training_load"].sum(min_count=1).fillna(0)
    end = max(load.index.max(), end) if end is not None else load.index.max()
    return load.reindex(pd.date_range(load.index.min(), end, freq="D", name="date"), fill_value=0.0)


def ewma_from_zero(load: pd.Series, days: int) -> pd.Series:
    """The exponentially weighted load with time constant `days`, starting from zero fitness."""
    alpha = 1 - math.exp(-1 / days)
    padded = pd.concat([pd.Series([0.0]), load.reset_index(drop=True)], ignore_index=True)
    smoothed = padded.ewm(alpha=alpha, adjust=False).mean().iloc[1:]
    return pd.Series(smoothed.to_numpy(), index=load.index)


def fitness_fatigue(load: pd.Series) -> pd.DataFrame:
    """Fitness (42-day), fatigue (7-day), form = fitness − fatigue, and the acute:chronic ratio.

    Form and the ratio are left out (NaN) in the model's warm-up, the first 42 days of history,
    where fitness is still climbing from zero (an A:C of 5 there is an artefact, not a risk)."""
    fitness = ewma_from_zero(load, FITNESS_DAYS)
    fatigue = ewma_from_zero(load, FATIGUE_DAYS)
    warm = pd.Series(load.index >= warm_up_end(load.index), index=load.index)
    ratio = (fatigue / fitness).where((fitness >= 5) & warm)
    form = (fitness - fatigue).where(warm)
    return pd.DataFrame({"fitness": fitness, "fatigue": fatigue, "form": form, "ratio": ratio})


def warm_up_end(index: pd.DatetimeIndex) -> pd.Timestamp:
    """The first day after the fitness model's warm-up."""
    return index[0] + pd.Timedelta(days=WARM_UP_DAYS) if len(index) else pd.NaT


def period_totals(acts: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Distance, moving time, load and count per week ('W', Monday start) or month ('M'), gaps as
    0."""
    columns = ["distance_m", "moving_s", "training_load", "ascent_m"]
    if acts.empty:
        return pd.DataFrame(columns=[*columns, "count"], dtype="float64")
    period = acts["date"].dt.to_period("W-SUN" if freq == "W" else "M")
    totals = acts.groupby(period)[columns].sum()
    totals["count"] = acts.groupby(period).size()
    full = pd.period_range(totals.index.min(), totals.index.max(), freq=totals.index.freq)
    totals = totals.reindex(full, fill_value=0)
    totals.index = totals.index.start_time
    return totals


def cumulative_by_year(acts: pd.DataFrame) -> dict[int, pd.Series]:
    """{year: Series of cumulative distance (m) by day of year}, one per year with activities."""
    out = {}
    for year, group in acts.groupby(acts["date"].dt.year):
        per_day = group.groupby(group["date"].dt.day_of_year)["distance_m"].sum()
        out[int(year)] = per_day.cumsum()
    return out


def monday_of(day: pd.Timestamp) -> pd.Timestamp:
    """The Monday that starts `day`'s week: every weekly figure of the site starts there."""
    return day - pd.Timedelta(days=day.weekday())


def headline(acts: pd.DataFrame, today: pd.Timestamp) -> dict[str, JsonObject]:
    """Totals for this week, month, year and all time, as of the athlete's local `today`."""
    spans = {
        "week": acts["date"] >= monday_of(today),
        "month": acts["date"] >= today.replace(day=1),
        "year": acts["date"] >= today.replace(month=1, day=1),
        "all": acts["date"].notna(),
    }
    out = {}
    for name, mask in spans.items():
        chosen = acts[mask & (acts["date"] <= today)] if name != "all" else acts
        out[name] = {
            "count": len(chosen),
            "distance_m": float(chosen["distance_m"].sum()),
            "moving_s": float(chosen["moving_s"].sum()),
            "ascent_m": float(chosen["ascent_m"].sum()),
        }
    return out


def records(acts: pd.DataFrame) -> JsonObject:
    """Longest activity, most ascent, biggest week and month (by distance) of the activities
    given."""
    out = {}
    measured = acts[acts["distance_m"].fillna(0) > 0]
    if not measured.empty:
        out["longest"] = measured.loc[measured["distance_m"].idxmax()]
    climbs = acts[acts["ascent_m"].fillna(0) > 0]
    if not climbs.empty:
        out["most_ascent"] = climbs.loc[climbs["ascent_m"].idxmax()]
    for key, freq in (("biggest_week", "W"), ("biggest_month", "M")):
        totals = period_totals(acts, freq)
        if not totals.empty and totals["distance_m"].max() > 0:
            start = totals["distance_m"].idxmax()
            out[key] = {"start": start, **totals.loc[start].to_dict()}
    return out


HRV_RESOLUTION_MS = 1  # COROS and Apple both give whole milliseconds


def hrv_half_width(centre_ln: Any, spread_ln: Any, band_sd: float = 0.5) -> Any:
    """Half the normal range in ln HRV: `band_sd` SD, but never narrower than the measurement's
    own resolution (±1 ms about the centre): 57 of 60 nights at 60 ms are no "60–60 ms" band."""
    return np.maximum(band_sd * spread_ln, np.log1p(HRV_RESOLUTION_MS / np.exp(centre_ln)))


def rolling_baseline(
    series: pd.Series, window: int = 7, baseline: int = 60, band_sd: float = 0.5
) -> pd.DataFrame:
    """HRV as the readiness verdict judges it: the `window`-day mean of ln values against the
    `baseline`-day mean ± `band_sd` SD of ln values (the normal range), back in ms."""
    series = series.dropna()
    series = series[series > 0]
    if series.empty:
        return pd.DataFrame(columns=["value", "mean", "base", "low", "high"], dtype="float64")
    logs = np.log(series.resample("D").mean())
    mean = logs.rolling(f"{window}D", min_periods=3).mean()
    base = logs.rolling(f"{baseline}D", min_periods=14)
    centre, spread = base.mean(), base.std()
    half = hrv_half_width(centre, spread, band_sd)
    return pd.DataFrame(
        {
            "value": np.exp(logs),
            "mean": np.exp(mean),
            "base": np.exp(centre),
            "low": np.exp(centre - half),
            "high": np.exp(centre + half),
        }
    )


def run_paces(acts: pd.DataFrame, window: int = 15) -> pd.DataFrame:
    """Pace (s/km) of every run of 1 km or more, with a rolling median over `window` runs."""
    runs = acts[
        acts["sport_code"].isin(RUN_CODES) & (acts["distance_m"] >= 1000) & (acts["moving_s"] > 0)
    ]
    pace = runs["moving_s"] / (runs["distance_m"] / 1000)
    frame = pd.DataFrame(
        {"date": runs["date"], "pace": pace, "name": runs["name"], "km": runs["distance_m"] / 1000}
    )
    frame["trend"] = frame["pace"].rolling(window, min_periods=3).median()
    return frame.reset_index(drop=True)


def seven_night_mean(total_min: pd.Series) -> pd.Series:
    """The 7-night mean, as every sentence and chart names it: for each night, the mean of the
    nights in the 7 days ending with it (3 at least)."""
    return total_min.asfreq("D").rolling(7, min_periods=3).mean()


def sleep_nights(health: pd.DataFrame) -> pd.DataFrame:
    """Nights with any sleep data; asleep falls back to in-bed time when the Watch wrote no
    stages."""
    columns = [
        c
        for c in health.columns
        if c.startswith("sleep_") and c.endswith("_min") and c != "sleep_nap_min"
    ]
    if not columns:
        return pd.DataFrame()
    nights = health[columns].dropna(how="all")
    asleep = nights.get("sleep_asleep_min")
    in_bed = nights.get("sleep_in_bed_min")
    if asleep is None:
        asleep = in_bed
    elif in_bed is not None:
        asleep = asleep.fillna(in_bed)
    return nights.assign(total_min=asleep)
