"""Today's readiness verdict and last night's sleep: pure functions of dated series.

The verdict weighs a few well-known signals, each judged against the athlete's own normal, and
says why in words. The rules (README, "Readiness verdict") in one place:

- HRV: the 7-day mean of ln(HRV) against the normal range, the 60-day mean ± 0.5 SD of the daily
  ln values (Plews' smallest worthwhile change, HRV4Training's 60-day normal values), never
  narrower than ±1 ms (the measurement's resolution), judged in whole ms as shown. It needs
  3 readings in the last 7 days and 14 in the last 60. Below the range is "low" (a red flag),
  above it "high" (a caution: it can also mean fatigue or illness). One source per baseline:
  COROS's sleep HRV is rMSSD, Apple Watch's is SDNN; they are never mixed.
- Resting HR: the latest reading against the mean of the 7 days before it; more than 5 bpm above
  is "high" (a red flag), 3 to 5 above "a little high" (a caution).
- Sleep: last night's asleep time against the mean of the 7 nights before; under 5 h is "very
  short" (a red flag), under 6 h or an hour below the mean "short" (a caution).
- Load: form below −30 % of fitness (fatigue far above fitness) or acute:chronic above 1.5 is a red
  flag; acute:chronic 1.3–1.5 a caution. Both need six weeks of history (model warm-up).
- Days since a rest day: 10 or more is a red flag, 7 to 9 a caution.

Two red flags, or a red flag and two cautions → "Rest or recover"; one red flag or two cautions →
"Keep it easy"; otherwise "Ready for a hard session". With fewer than two of HRV, resting HR,
sleep and load known, the verdict is declined and says what is missing.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from coros_dashboard.site.metrics import WARM_UP_DAYS, hrv_half_width, seven_night_mean
from coros_dashboard.site.units import format_hm

HRV_WINDOW, HRV_MIN_RECENT = 7, 3
BASELINE_DAYS, BASELINE_MIN = 60, 14
HRV_BAND_SD = 0.5
REST_CAUTION_DAYS, REST_FLAG_DAYS = 7, 10  # training days in a row
NIGHTS_SHOWN = 7  # the latest night Today names, at most this many days old
COROS, HEALTH = "COROS", "Apple Health"
RHR_FLAG_BPM, RHR_CAUTION_BPM = 5, 3
SLEEP_SHORT_MIN, SLEEP_VERY_SHORT_MIN, SLEEP_DROP_MIN = 360, 300, 60
OK, CAUTION, FLAG = 0, 1, 2
# Form (fitness − fatigue) as a share of fitness → zone, the scheme intervals.icu popularised.
# the zones' edges, as shares of fitness (the fitness chart shades the same bands)
FORM_TOP, FORM_FRESH, FORM_GREY, FORM_OPTIMAL = 0.20, 0.05, -0.10, -0.30
FORM_ZONES = [
    (lambda s: s > FORM_TOP, "transitional", "fitness is fading; time to train"),
    (lambda s: s > FORM_FRESH, "fresh", "ready to race"),
    (lambda s: s >= FORM_GREY, "grey zone", "maintaining"),
    (lambda s: s >= FORM_OPTIMAL, "optimal", "building fitness"),
    (lambda s: True, "high risk", "fatigue far above fitness"),
]
TONES = {OK: "good", CAUTION: "caution", FLAG: "bad"}


@dataclass(frozen=True)
class Reason:
    """One input to the verdict: a label, its value, a word for it and how much it weighs."""

    label: str
    word: str  # "in range", "low", "high", "no data", …
    value: str = ""
    detail: str = ""
    weight: int | None = OK  # None: the input is missing and not counted
    source: str = ""  # "COROS" or "Apple Health"
    as_of: pd.Timestamp | None = None  # the day of the value judged

    @property
    def provenance(self) -> str:
        """Where the value comes from and the day it is of: "COROS, Thu 03 Dec"."""
        when = f"{self.as_of:%a %d %b}" if self.as_of is not None else ""
        return ", ".join(p for p in (self.source, when) if p)

    @property
    def tone(self) -> str:
        return "none" if self.weight is None else TONES[self.weight]

    @property
    def mark(self) -> str:
        """The tone as a sign, for a phone's one-word chips (colour never carries it alone)."""
        return {"good": "✓", "caution": "!", "bad": "✕"}.get(self.tone, "–")

    @property
    def short(self) -> str:
        """The label without its source: 'HRV (COROS, rMSSD)' → 'HRV'."""
        return self.label.split(" (")[0]


@dataclass(frozen=True)
class Verdict:
    key: str  # "hard", "easy", "rest" or "none"
    headline: str
    because: str  # the one-line reason: what drove the verdict
    reasons: tuple[Reason, ...]
    fine: str = ""  # ", although HRV and Sleep are fine": what the signal chips show too


@dataclass(frozen=True)
class HrvStatus:
    source: str  # "COROS, rMSSD" or "Apple Watch, SDNN"
    latest_ms: float
    latest_day: pd.Timestamp
    week_ln: float
    low_ln: float
    high_ln: float
    base_ln: float
    readings: int

    @property
    def word(self) -> str:
        """Judged in whole ms, as the page shows them: a mean shown inside the range shown is in
        it."""
        week, low, high = (round(math.exp(v)) for v in (self.week_ln, self.low_ln, self.high_ln))
        if week < low:
            return "low"
        return "high" if week > high else "in range"


def _window(series: pd.Series | None, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """The non-missing values dated start ≤ d ≤ end."""
    if series is None or series.empty:
        return pd.Series(dtype="float64")
    series = series.dropna()
    return series[(series.index >= start) & (series.index <= end)].astype("float64")


def hrv_status(series: pd.Series | None, today: pd.Timestamp, source: str) -> HrvStatus | None:
    """The 7-day ln(HRV) mean against the 60-day normal range, or None with too few readings."""
    day = pd.Timedelta(days=1)
    recent = _window(series, today - (HRV_WINDOW - 1) * day, today)
    recent = recent[recent > 0]
    if len(recent) < HRV_MIN_RECENT:
        return None
    before = _window(series, today - (BASELINE_DAYS - 1) * day, today)
    before = before[before > 0]
    if len(before) < BASELINE_MIN:
        return None
    logs = before.map(math.log)
    base, spread = float(logs.mean()), float(logs.std(ddof=1))
    half = float(hrv_half_width(base, spread, HRV_BAND_SD))
    return HrvStatus(
        source,
        float(recent.iloc[-1]),
        recent.index[-1],
        float(recent.map(math.log).mean()),
        base - half,
        base + half,
        base,
        len(recent),
    )


def grade(flag: bool, caution: bool) -> int:
    """The worst weight that holds."""
    if flag:
        return FLAG
    if caution:
        return CAUTION
    return OK


def hrv_reason(coros: pd.Series | None, apple: pd.Series | None, today) -> Reason:
    """HRV from COROS (rMSSD) when it has enough readings, else from Apple Watch (SDNN)."""
    for series, source, origin in (
        (coros, "COROS, rMSSD", "COROS"),
        (apple, "Apple Watch, SDNN", "Apple Health"),
    ):
        status = hrv_status(series, today, source)
        if status:
            word = status.word
            weight = {"low": FLAG, "high": CAUTION}.get(word, OK)
            normal = f"{math.exp(status.low_ln):.0f}–{math.exp(status.high_ln):.0f} ms"
            return Reason(
                f"HRV ({source})",
                word,
                f"{math.exp(status.week_ln):.0f} ms",
                f"7-day mean; normal {normal} (60-day mean ± 0.5 SD of ln HRV, at least ±1 ms); "
                f"latest night {status.latest_ms:.0f} ms",
                weight,
                origin,
                status.latest_day,
            )
    nights = max(
        (len(_window(s, today - 2 * pd.Timedelta(days=1), today)) for s in (coros, apple)),
        default=0,
    )
    detail = "no HRV in the last 3 nights" if nights == 0 else "too few readings for a normal range"
    return Reason("HRV", "no data", "", detail, None)


def resting_hr_reason(series: pd.Series | None, today: pd.Timestamp, source: str) -> Reason:
    day = pd.Timedelta(days=1)
    label = f"Resting HR ({source})"
    latest = _window(series, today - day, today)
    if latest.empty:
        return Reason(label, "no data", "", "no reading today or yesterday", None, source)
    when = latest.index[-1]
    before = _window(series, when - 7 * day, when - day)
    value = float(latest.iloc[-1])
    if len(before) < 3:
        return Reason(
            label,
            "no baseline",
            f"{value:.0f} bpm",
            "fewer than 3 days before it",
            None,
            source,
            when,
        )
    base = float(before.mean())
    change = value - base
    weight = grade(flag=change > RHR_FLAG_BPM, caution=change >= RHR_CAUTION_BPM)
    word = {FLAG: "high", CAUTION: "a little high", OK: "normal"}[weight]
    return Reason(
        label,
        word,
        f"{value:.0f} bpm",
        f"7-day normal {base:.0f} bpm ({change:+.0f})",
        weight,
        source,
        when,
    )


@dataclass(frozen=True)
class Night:
    """Last night's sleep, as Today shows it."""

    date: pd.Timestamp  # the day it ended on
    asleep_min: float
    stages: tuple[tuple[str, float], ...]  # (name, minutes) when the watch wrote stages
    mean_min: float | None  # the 7-night mean at this night (metrics.seven_night_mean)

    @property
    def asleep(self) -> str:
        return f"{format_hm(self.asleep_min)} asleep"

    @property
    def stage_text(self) -> str:
        return ", ".join(f"{n} {format_hm(m)}" for n, m in self.stages)

    @property
    def text(self) -> str:
        return f"{self.asleep} ({self.stage_text})" if self.stages else self.asleep

    @property
    def named(self) -> str:
        """Which night it is ("Night to Thu 03 Dec"), never just "last night"."""
        return f"Night to {self.date:%a %d %b}"

    @property
    def latest_text(self) -> str:
        """For a night older than last night: "latest: the night to Wed 02 Dec, 7:45 asleep"."""
        return f"latest: the night to {self.date:%a %d %b}, {self.asleep}"

    @property
    def against_mean(self) -> str:
        if self.mean_min is None:
            return "fewer than 3 nights in the week for a 7-night mean"
        delta = self.asleep_min - self.mean_min
        sign = "+" if delta >= 0 else "−"
        return f"7-night mean {format_hm(self.mean_min)} ({sign}{format_hm(abs(delta))})"


STAGE_NAMES = (("deep", "deep"), ("core", "core"), ("rem", "REM"), ("awake", "awake"))


def last_night(nights: pd.DataFrame, today: pd.Timestamp) -> Night | None:
    """The latest night that ended by today, in the last week, with its 7-night mean: the night
    ending today when it has arrived, else an older one (which Today names as such)."""
    if nights.empty or "total_min" not in nights:
        return None
    asleep = _window(nights["total_min"], today - pd.Timedelta(days=NIGHTS_SHOWN - 1), today)
    asleep = asleep[asleep > 0]
    if asleep.empty:
        return None
    when = asleep.index[-1]
    row = nights.loc[when]
    stages = tuple(
        (name, float(row[f"sleep_{key}_min"]))
        for key, name in STAGE_NAMES
        if f"sleep_{key}_min" in row and pd.notna(row[f"sleep_{key}_min"])
    )
    mean = seven_night_mean(nights["total_min"]).get(when)
    return Night(when, float(asleep.iloc[-1]), stages, None if pd.isna(mean) else float(mean))


def sleep_reason(night: Night | None, today: pd.Timestamp) -> Reason:
    """Last night's sleep: only the night that ended today is judged (an older one is named, not
    taken for it)."""
    if night is None:
        return Reason("Sleep", "no data", "", "no sleep recorded in the last week", None)
    if night.date < today:
        return Reason(
            "Sleep",
            "not synced yet",
            "",
            f"last night has not arrived; {night.latest_text}",
            None,
            HEALTH,
            night.date,
        )
    weight = OK
    if night.asleep_min < SLEEP_VERY_SHORT_MIN:
        weight = FLAG
    elif night.asleep_min < SLEEP_SHORT_MIN or (
        night.mean_min is not None and night.asleep_min < night.mean_min - SLEEP_DROP_MIN
    ):
        weight = CAUTION
    word = {FLAG: "very short", CAUTION: "short", OK: "enough"}[weight]
    return Reason(
        "Sleep",
        word,
        f"{format_hm(night.asleep_min)} h:mm",
        night.against_mean,
        weight,
        HEALTH,
        night.date,
    )


def load_reasons(
    fitness: pd.DataFrame | None, load: pd.Series, today: pd.Timestamp
) -> list[Reason]:
    """Form and acute:chronic once the model has warmed up; days since the last rest day."""
    if fitness is None or fitness.empty or today not in fitness.index:
        return [Reason("Load", "no data", "", "no training yet", None, COROS)]
    reasons = []
    row = fitness.loc[today]
    history = (today - fitness.index[0]).days + 1
    if history <= WARM_UP_DAYS or not row["fitness"] > 0:
        reasons.append(
            Reason(
                "Load",
                "warming up",
                "",
                f"{history} days of history; needs {WARM_UP_DAYS}",
                None,
                COROS,
                today,
            )
        )
    else:
        zone, sentence = form_zone(row["fitness"], row["fatigue"])
        share = (row["fitness"] - row["fatigue"]) / row["fitness"]
        reasons.append(
            Reason(
                "Form",
                zone,
                f"{row['form']:+.0f}",
                f"{share:+.0%} of fitness: {sentence}",
                FLAG if zone == "high risk" else OK,
                COROS,
                today,
            )
        )
        ratio = row["ratio"]
        if pd.notna(ratio):
            weight = grade(flag=ratio > 1.5, caution=ratio > 1.3)
            word = {
                FLAG: "rising fast",
                CAUTION: "rising",
                OK: "in range" if ratio >= 0.8 else "low",
            }
            reasons.append(
                Reason(
                    "Acute:chronic",
                    word[weight],
                    f"{ratio:.2f}",
                    "0.8–1.3 is the usual range",
                    weight,
                    COROS,
                    today,
                )
            )
    if not load.empty:
        reasons.append(rest_reason(load, today))
    return reasons


def form_zone(fitness: float, fatigue: float) -> tuple[str, str]:
    """(zone, sentence) for form = fitness − fatigue relative to fitness (thresholds above)."""
    if not fitness or fitness <= 0:
        return "none", "not enough training yet"
    share = (fitness - fatigue) / fitness
    return next((key, text) for test, key, text in FORM_ZONES if test(share))


def recommended_load_reason(
    load: pd.Series, daily: pd.DataFrame, today: pd.Timestamp
) -> Reason | None:
    """The last 7 days' load a day against COROS's recommended range, when COROS gave one."""
    ranges = [
        _window(daily.get(c) if not daily.empty else None, today - pd.Timedelta(days=7), today)
        for c in ("recommended_load_min", "recommended_load_max")
    ]
    if load.empty or any(r.empty for r in ranges):
        return None
    low, high = float(ranges[0].iloc[-1]), float(ranges[1].iloc[-1])
    per_day = (
        float(load[(load.index > today - pd.Timedelta(days=7)) & (load.index <= today)].sum()) / 7
    )
    if per_day < low:
        where = "below"
    elif per_day > high:
        where = "above"
    else:
        where = "within"
    return Reason(
        "7-day load",
        f"{where} range",
        f"{per_day:.0f} a day",
        f"COROS recommends {low:.0f}–{high:.0f} a day",
        CAUTION if where == "above" else OK,
        COROS,
        today,
    )


def rest_reason(load: pd.Series, today: pd.Timestamp) -> Reason:
    """Training days in a row since the last rest day (a day with no training load). Today is
    not a rest day until it is over: it counts only once it has load."""
    done = load[load.index < today]
    rests = done[done <= 0]
    last_rest = rests.index[-1] if not rests.empty else None
    yesterday = today - pd.Timedelta(days=1)
    streak = (yesterday - last_rest).days if last_rest is not None else len(done)
    if load.get(today, 0) > 0:
        streak += 1
    weight = grade(flag=streak >= REST_FLAG_DAYS, caution=streak >= REST_CAUTION_DAYS)
    days = f"{streak} day{'s' if streak != 1 else ''}"
    word = {FLAG: f"{days}: overdue", CAUTION: f"{days}: rest soon", OK: days}[weight]
    last = f"last rest day {last_rest:%a %d %b}" if last_rest is not None else "no rest day yet"
    return Reason(
        "Since rest",
        word,
        "",
        f"training days in a row; {last}; today counts once it has training load",
        weight,
        COROS,
        today,
    )


HEADLINES = {
    "hard": "Ready for a hard session",
    "easy": "Keep it easy",
    "rest": "Rest or recover",
    "none": "No verdict today",
}
COUNTED = ("HRV", "Resting HR", "Sleep", "Form")


def verdict(reasons: list[Reason]) -> Verdict:
    """The verdict from the reasons' weights (rules in the module docstring)."""
    known = [r for r in reasons if r.weight is not None]
    inputs = {r.short for r in known} & set(COUNTED)
    if len(inputs) < 2:
        missing = [r.label for r in reasons if r.weight is None]
        because = (
            "Too little data: " + (", ".join(missing) if missing else "no inputs") + " missing"
        )
        return Verdict("none", HEADLINES["none"], because, tuple(reasons))
    flags = [r for r in known if r.weight == FLAG]
    cautions = [r for r in known if r.weight == CAUTION]
    if len(flags) >= 2 or (flags and len(cautions) >= 2):
        key = "rest"
    elif flags or len(cautions) >= 2:
        key = "easy"
    else:
        key = "hard"
    drivers = flags + cautions
    although = ""
    if drivers:
        because = "; ".join(f"{r.short} {r.word}" for r in drivers)
        fine = [r.short for r in known if r.weight == OK]
        if fine:
            although = f", although {_join(fine)} {'is' if len(fine) == 1 else 'are'} fine"
    else:
        because = f"All {len(known)} signals within your normal"
    return Verdict(key, HEADLINES[key], because[0].upper() + because[1:], tuple(reasons), although)


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def readiness(
    daily: pd.DataFrame,
    health: pd.DataFrame,
    nights: pd.DataFrame,
    fitness: pd.DataFrame | None,
    load: pd.Series,
    today: pd.Timestamp,
    stale: Mapping[str, str] | None = None,
) -> tuple[Verdict, Night | None]:
    """Today's verdict and last night's sleep from the loaded frames. `stale` (source → why):
    a stale source's signals are left out of the verdict, said so, and another source's used
    where one can stand in (HRV, resting HR)."""
    stale = stale or {}
    night = last_night(nights, today)
    coros = daily if COROS not in stale and not daily.empty else None
    apple = health if HEALTH not in stale and not health.empty else None
    rhr = resting_hr_reason(coros.get("resting_hr") if coros is not None else None, today, COROS)
    if rhr.weight is None and apple is not None and apple.get("resting_hr") is not None:
        rhr = resting_hr_reason(apple.get("resting_hr"), today, HEALTH)
    reasons = [
        hrv_reason(
            coros.get("sleep_hrv_ms") if coros is not None else None,
            apple.get("hrv_ms") if apple is not None else None,
            today,
        ),
        rhr,
        sleep_reason(night, today),
        *load_reasons(fitness, load, today),
    ]
    recommended = recommended_load_reason(load, daily, today)
    if recommended:
        reasons.insert(-1, recommended)
    reasons = [
        replace(r, word="left out", detail=stale[r.source], weight=None) if r.source in stale else r
        for r in reasons
    ]
    return verdict(reasons), night
