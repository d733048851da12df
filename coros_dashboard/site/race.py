"""Race day: where the plan takes fitness and form by the goal race, today's load budget, a taper
check, and race predictions that test themselves on the athlete's own past races.

Pure functions. The fitness model is the dashboard's (metrics.fitness_fatigue): an exponentially
weighted load with k = 1 − e^(−1/τ), τ = 42 days (fitness) and 7 days (fatigue), and form =
fitness − fatigue after the day's load ("today's values"; TrainingPeaks shows yesterday's).
Sources: ../README.md, "Race day".
"""

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from coros_dashboard.site.metrics import FATIGUE_DAYS, FITNESS_DAYS
from coros_dashboard.site.units import format_duration
from coros_dashboard.store.datafiles import PREDICTED_RACES

K_FITNESS = 1 - math.exp(-1 / FITNESS_DAYS)  # 0.023528
K_FATIGUE = 1 - math.exp(-1 / FATIGUE_DAYS)  # 0.133122
PRODUCTIVE = (-30.0, -10.0)  # form bands used in practice, not validated science
RACE_FRESH = (5.0, 25.0)
BAND_WEEKS = 12  # done ÷ planned per week, over the last 12 weeks the plan covered
EFFORT_DAYS = 84  # a prediction reads the efforts of the 12 weeks before it
RIEGEL_EXPONENT = 1.06
CS_MARATHON_SHARE = 0.848  # marathons are run at about 84.8 % of critical speed
MARATHON_M = PREDICTED_RACES["marathon"]


@dataclass(frozen=True)
class State:
    """Fitness and fatigue after a day's load."""

    fitness: float
    fatigue: float

    @property
    def form(self) -> float:
        return self.fitness - self.fatigue

    def after(self, load: float) -> "State":
        return State(
            self.fitness + K_FITNESS * (load - self.fitness),
            self.fatigue + K_FATIGUE * (load - self.fatigue),
        )


def budget(state: State, form: float) -> float:
    """The load today that leaves form after today at `form`, from the model's own update rule:
    L = ((1 − k_C)·CTL − (1 − k_A)·ATL − F) / (k_A − k_C), with yesterday's CTL and ATL."""
    return ((1 - K_FITNESS) * state.fitness - (1 - K_FATIGUE) * state.fatigue - form) / (
        K_FATIGUE - K_FITNESS
    )


def project(start: State, loads: pd.Series, scale: float = 1.0) -> pd.DataFrame:
    """Fitness, fatigue and form after each day of `loads` (daily, every day), each load times
    `scale`, from the state before the first of them."""
    rows, state = [], start
    for load in loads.to_numpy(dtype=float) * scale:
        state = state.after(load)
        rows.append((state.fitness, state.fatigue, state.form))
    return pd.DataFrame(rows, index=loads.index, columns=["fitness", "fatigue", "form"])


def done_shares(planned: pd.Series, done: pd.Series, today: pd.Timestamp) -> list[float]:
    """Done ÷ planned load per finished week (Monday to Sunday) of the last BAND_WEEKS that had
    a planned load: how much of a plan this athlete usually does."""
    monday = today - pd.Timedelta(days=today.weekday())
    first = monday - pd.Timedelta(weeks=BAND_WEEKS)
    shares = []
    for week in pd.date_range(first, monday - pd.Timedelta(weeks=1), freq="7D"):
        days = pd.date_range(week, week + pd.Timedelta(days=6))
        plan = float(planned.reindex(days, fill_value=0).sum())
        if plan > 0:
            shares.append(float(done.reindex(days, fill_value=0).sum()) / plan)
    return shares


def share_band(shares: list[float]) -> tuple[float, float] | None:
    """The 10th and 90th percentiles of the weekly shares (None under 3 weeks: no band)."""
    if len(shares) < 3:
        return None
    low, high = np.percentile(shares, [10, 90])
    return float(low), float(high)


@dataclass(frozen=True)
class Taper:
    weekly_before: float  # planned km a week in the 4 weeks before the taper
    weekly_taper: float  # and in its last 2 weeks
    sessions_before: float  # planned sessions a week
    sessions_taper: float

    @property
    def cut(self) -> float:
        return 1 - self.weekly_taper / self.weekly_before if self.weekly_before else 0.0

    @property
    def within(self) -> bool:
        """Bosquet et al. 2007: about 2 weeks, volume cut by 41–60 %, frequency kept."""
        return 0.41 <= self.cut <= 0.60 and self.sessions_taper >= 0.8 * self.sessions_before


def taper(distance: pd.Series, sessions: pd.Series, race_day: pd.Timestamp) -> Taper | None:
    """The plan's last 2 weeks before race day against the 4 weeks before them (None when the
    plan does not cover those 6 weeks up to race week)."""
    taper_start = race_day - pd.Timedelta(days=14)
    before_start = taper_start - pd.Timedelta(days=28)
    covered = not distance.empty and distance.index.min() <= before_start
    if not covered or distance.index.max() < race_day - pd.Timedelta(days=3):
        return None  # the plan does not reach back 6 weeks, or not to race week

    def per_week(series: pd.Series, start, end, weeks: int) -> float:
        return float(series[(series.index >= start) & (series.index < end)].sum()) / weeks

    return Taper(
        per_week(distance, before_start, taper_start, 4) / 1000,
        per_week(distance, taper_start, race_day, 2) / 1000,
        per_week(sessions, before_start, taper_start, 4),
        per_week(sessions, taper_start, race_day, 2),
    )


# --- race predictions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Effort:
    """A distance covered in a time, on a day: a whole run, or a best effort inside one."""

    date: pd.Timestamp
    metres: float
    seconds: float
    activity: str


def riegel(seconds: float, metres: float, to_metres: float) -> float:
    """Riegel 1981: T₂ = T₁ · (D₂ / D₁)^1.06."""
    return seconds * (to_metres / metres) ** RIEGEL_EXPONENT


def vdot(metres: float, seconds: float) -> float:
    """Daniels & Gilbert: VO₂ of the speed over the share of VO₂max held for that long."""
    minutes = seconds / 60
    v = metres / minutes  # m/min
    vo2 = -4.60 + 0.182258 * v + 0.000104 * v * v
    share = (
        0.8 + 0.1894393 * math.exp(-0.012778 * minutes) + 0.2989558 * math.exp(-0.1932605 * minutes)
    )
    return vo2 / share


def vdot_time(value: float, metres: float) -> float:
    """The time over `metres` that scores `value` (VDOT falls as the time grows: bisection)."""
    low, high = metres / 1000 * 60, metres / 1000 * 1200  # 60 km/h … 3 km/h, in seconds
    for _ in range(80):
        middle = (low + high) / 2
        if vdot(metres, middle) > value:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def critical_speed(efforts: list[Effort]) -> tuple[float, float] | None:
    """(CS m/s, D′ m) from the distance–time line d = CS·t + D′ through the best efforts of 2 to
    30 minutes (Smyth & Muniz-Pumares 2020 use the best 400, 800 and 5,000 m); None under two
    efforts or without a rising line."""
    kept = [e for e in efforts if 120 <= e.seconds <= 1800]
    if len({round(e.seconds) for e in kept}) < 2:
        return None
    t = np.array([e.seconds for e in kept])
    d = np.array([e.metres for e in kept])
    speed, reserve = np.polyfit(t, d, 1)
    return (float(speed), float(reserve)) if speed > 0 else None


def best_per_distance(efforts: list[Effort]) -> list[Effort]:
    """The fastest effort of each distance (to the metre)."""
    best: dict[int, Effort] = {}
    for e in efforts:
        key = round(e.metres)
        if key not in best or e.seconds < best[key].seconds:
            best[key] = e
    return list(best.values())


@dataclass(frozen=True)
class Prediction:
    model: str
    seconds: float | None
    basis: str  # what it was predicted from, in words


def predict(
    model: str,
    metres: float,
    efforts: list[Effort],
    coros: dict[float, float] | None = None,
) -> Prediction:
    """One model's time over `metres` from `efforts` (already those before the moment)."""
    if model == "COROS":
        seconds = (coros or {}).get(metres)
        return Prediction(model, seconds, "COROS's own prediction" if seconds else "")
    if model == "Critical speed":
        line = critical_speed(best_per_distance(efforts))
        if line is None:
            return Prediction(model, None, "")
        speed, reserve = line
        if metres >= MARATHON_M * 0.99:
            return Prediction(model, metres / (CS_MARATHON_SHARE * speed), "84.8 % of CS")
        if metres <= 10_000 and metres > reserve:
            return Prediction(model, (metres - reserve) / speed, "d = CS·t + D′")
        return Prediction(model, None, "")
    usable = [e for e in efforts if e.metres >= 1500]
    if not usable:
        return Prediction(model, None, "")
    if model == "Riegel":
        best = min(usable, key=lambda e: riegel(e.seconds, e.metres, metres))
        return Prediction(model, riegel(best.seconds, best.metres, metres), effort_words(best))
    best = max(usable, key=lambda e: vdot(e.metres, e.seconds))
    score = vdot(best.metres, best.seconds)
    return Prediction(model, vdot_time(score, metres), f"VDOT {score:.1f} · {effort_words(best)}")


MODELS = ("COROS", "Riegel", "VDOT", "Critical speed")


def effort_words(e: Effort) -> str:
    return f"{e.metres / 1000:.1f} km in {format_duration(e.seconds)} on {e.date:%d %b %Y}"


def before(efforts: list[Effort], moment: pd.Timestamp, leave_out: str = "") -> list[Effort]:
    """The efforts of the EFFORT_DAYS before `moment` (not its day), but `leave_out`'s."""
    start = moment - pd.Timedelta(days=EFFORT_DAYS)
    return [e for e in efforts if start <= e.date < moment and e.activity != leave_out]


@dataclass(frozen=True)
class PastRace:
    date: pd.Timestamp
    name: str
    metres: float
    seconds: float
    activity: str = ""


@dataclass
class Check:
    """A model's back-test: its error on each past race it could predict."""

    model: str
    errors: list[float] = field(default_factory=list)  # |predicted − actual| ÷ actual

    @property
    def mape(self) -> float | None:
        return sum(self.errors) / len(self.errors) if self.errors else None


def back_test(
    races: list[PastRace],
    efforts: list[Effort],
    coros_on: "dict[pd.Timestamp, dict[float, float]]",
) -> dict[str, Check]:
    """Every model predicts each past race only from what came before its day."""
    checks = {model: Check(model) for model in MODELS}
    for race in races:
        prior = before(efforts, race.date, race.activity)
        coros = latest_before(coros_on, race.date)
        for model in MODELS:
            guess = predict(model, race.metres, prior, coros).seconds
            if guess:
                checks[model].errors.append(abs(guess - race.seconds) / race.seconds)
    return checks


def latest_before(
    by_day: "dict[pd.Timestamp, dict[float, float]]", moment: pd.Timestamp
) -> dict[float, float]:
    days = [d for d in by_day if d < moment]
    return by_day[max(days)] if days else {}


def headline_model(checks: dict[str, Check], predictions: dict[str, Prediction]) -> str | None:
    """The model with the lowest back-test error among those that predict the goal, counting only
    models tested on the most races; without a back-test, Riegel (then VDOT)."""
    able = [m for m in MODELS if predictions[m].seconds]
    if not able:
        return None
    tested = [m for m in able if checks[m].mape is not None]
    if tested:
        most = max(len(checks[m].errors) for m in tested)
        return min(
            (m for m in tested if len(checks[m].errors) == most),
            key=lambda m: (checks[m].mape, MODELS.index(m)),
        )
    return next((m for m in ("Riegel", "VDOT") if m in able), able[0])


# --- marathon shape (Runalyze's published definition; it states no scientific validation) -----

SHAPE_WEEKS_DAYS = 182  # weekly distance over the last 26 weeks …
SHAPE_LONG_DAYS = 70  # … and runs over 13 km in the last 10 weeks
SHAPE_LONG_KM = 13.0
SHAPE_WEEKLY_SHARE = 0.67


@dataclass(frozen=True)
class Shape:
    percent: float  # 100: the training the goal needs (may exceed 100)
    weekly_km: float  # over the last 26 weeks
    weekly_target_km: float  # VDOT^1.135
    long_target_km: float  # ln(VDOT / 4)·12


def marathon_shape(
    runs: list[tuple[pd.Timestamp, float]], moment: pd.Timestamp, score: float
) -> Shape:
    """Shape on `moment` from runs (day, km) before it, against the targets of VDOT `score`:
    ⅔ weekly distance ÷ VDOT^1.135, ⅓ long runs — each over 13 km in the last 70 days scores
    (2 − 2·age/70)·((km − 13) / (ln(VDOT/4)·12 − 13))² — summed ×7/70."""
    weekly_target = score**1.135
    long_target = math.log(score / 4) * 12 - SHAPE_LONG_KM
    km = sum(k for day, k in runs if 0 < (moment - day).days <= SHAPE_WEEKS_DAYS)
    weekly = km * 7 / SHAPE_WEEKS_DAYS
    points = sum(
        (2 - 2 * (moment - day).days / SHAPE_LONG_DAYS) * ((k - SHAPE_LONG_KM) / long_target) ** 2
        for day, k in runs
        if k > SHAPE_LONG_KM and 0 < (moment - day).days <= SHAPE_LONG_DAYS
    )
    share = SHAPE_WEEKLY_SHARE * weekly / weekly_target + (1 - SHAPE_WEEKLY_SHARE) * (
        points * 7 / SHAPE_LONG_DAYS
    )
    return Shape(100 * share, weekly, weekly_target, long_target + SHAPE_LONG_KM)
