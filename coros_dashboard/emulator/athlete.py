"""Athletes the COROS emulator serves: a synthetic one of any length, and the recorded seed
athlete."""

import datetime as dt
import hashlib
import json
import math
import random
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from coros_dashboard.coros.client import coros_day
from coros_dashboard.emulator.training_plan import Goal, make_plan

SEED_FILE = Path(__file__).with_name("seed_athlete.json")
HOME_ZONE = "Europe/Berlin"
TRIP_ZONES = [  # (zone, city): mornings in Tokyo and evenings in New York fall on another UTC day
    ("Asia/Tokyo", "Tokyo"),
    ("America/New_York", "New York"),
    ("Asia/Kolkata", "Bengaluru"),
    ("Australia/Sydney", "Sydney"),
    ("America/Denver", "Boulder"),
]


@dataclass
class Athlete:
    """One COROS account: credentials, profile, raw activity list items and per-day analysis
    items."""

    email: str
    password: str
    user_id: str
    account: dict
    activities: list
    days: dict  # coros day int → day-detail item
    today: dt.date
    region_id: int = 1
    token: str | None = None
    added: int = field(default=0)
    details: bool = (
        True  # serves activity detail and FIT files (the recorded seed athlete does not)
    )
    plan: list = field(default_factory=list)  # planned workouts (emulator.training_plan.make_plan)
    races: list = field(default_factory=list)  # races.json's records, with race_season

    def move_workout(self, id_in_plan: str, day: dt.date) -> None:
        """As the runner would in the Training Hub: the workout moves to another day."""
        workout = next(w for w in self.plan if w["idInPlan"] == id_in_plan)
        workout["happenDay"] = coros_day(day)

    def delete_workout(self, id_in_plan: str) -> None:
        self.plan = [w for w in self.plan if w["idInPlan"] != id_in_plan]

    @property
    def password_md5(self) -> str:
        return hashlib.md5(self.password.encode()).hexdigest()

    def visible_activities(self) -> list:
        last = coros_day(self.today)
        items = [a for a in self.activities if a["date"] <= last]
        return sorted(items, key=lambda a: (a["startTime"], a["labelId"]), reverse=True)

    def visible_days(self, first: dt.date, last: dt.date) -> list:
        last = min(last, self.today)
        return [self.days[d] for d in sorted(self.days) if coros_day(first) <= d <= coros_day(last)]

    def advance(self, days: int) -> None:
        """Move the athlete's 'today' on: the analysis window slides and later activities appear."""
        self.today += dt.timedelta(days=days)

    def add_activities(self, count: int, name: str = "Evening Run") -> list:
        """Record `count` new runs on today's date, after everything already listed."""
        latest = max((a["startTime"] for a in self.visible_activities()), default=0)
        zone = ZoneInfo(HOME_ZONE)
        base = dt.datetime.combine(self.today, dt.time(18, 0), zone)
        new = []
        for i in range(count):
            self.added += 1
            start = max(int(base.timestamp()) + i * 600, latest + 60 * (i + 1))
            item = _activity_item(
                f"9{self.added:08d}{len(self.activities):06d}",
                start,
                zone,
                100,
                name,
                8000.0,
                2700,
                60,
                148,
                165,
                337,
                40,
            )
            new.append(item)
        self.activities.extend(new)
        return new


def _offset_units(moment: dt.datetime) -> int:
    return int(moment.utcoffset().total_seconds() // 900)


def _activity_item(
    label,
    start,
    zone,
    sport,
    name,
    distance,
    seconds,
    load,
    avg_hr,
    max_hr,
    pace,
    ascent,
    device="COROS PACE 3",
) -> dict:
    local = dt.datetime.fromtimestamp(start, zone)
    end_local = dt.datetime.fromtimestamp(start + seconds, zone)
    return {
        "labelId": label,
        "date": coros_day(local.date()),
        "name": name,
        "sportType": sport,
        "distance": distance,
        "totalTime": seconds + (seconds // 40),
        "workoutTime": seconds,
        "trainingLoad": load,
        "startTime": start,
        "endTime": start + seconds + seconds // 40,
        "startTimezone": _offset_units(local),
        "endTimezone": _offset_units(end_local),
        "avgHr": avg_hr,
        "maxHr": max_hr,
        "avgSpeed": pace,
        "adjustedPace": max(1, pace - ascent // 20),
        "bestPace": max(1, pace - 45),
        "avgCadence": 172 if sport < 200 else 85,
        "ascent": ascent,
        "descent": ascent,
        "calorie": seconds * 200,  # calories: 12 kcal a minute
        "device": device,
        "imageUrl": "",
    }


# weekday → planned session (sport, kind); None is a rest day
_WEEK_PLAN = [
    (402, "strength"),
    (100, "intervals"),
    (100, "easy"),
    (100, "tempo"),
    (300, "swim"),
    (100, "long"),
    (200, "ride"),
]
_KINDS = {  # kind → (name, minutes range, load per minute, HR offset from easy)
    "easy": ("Easy Run", (35, 60), 1.05, 0),
    "tempo": ("Tempo Run", (40, 60), 1.55, 15),
    "intervals": ("Intervals 6x800m", (45, 65), 1.7, 18),
    "long": ("Long Run", (80, 150), 1.2, 5),
    "ride": ("Sunday Ride", (90, 200), 0.75, -10),
    "swim": ("Pool Swim", (35, 55), 0.9, -8),
    "strength": ("Strength", (30, 45), 0.5, -25),
    "walk": ("Walk", (30, 70), 0.3, -35),
}


def synthetic_athlete(
    years: float = 3,
    seed: int = 1,
    today: dt.date | None = None,
    future_days: int = 120,
    email: str = "demo@example.com",
    password: str = "demo-password",
    unit: int = 0,
    plan_weeks: int = 6,
    race_season: bool = False,
) -> Athlete:
    """A deterministic multi-sport athlete with trips abroad, plausible loads, HR, HRV and VO2max.

    History is generated `future_days` past `today` so that `advance()` reveals new days. The
    athlete follows a training plan for its last `plan_weeks` weeks and the four ahead (0: none);
    with `race_season`, three past races and a goal marathon 8 weeks out that the plan builds to.
    """
    rng = random.Random(seed)
    today = today or dt.date.today()
    first = today - dt.timedelta(days=int(years * 365.25))
    last = today + dt.timedelta(days=future_days)
    trips = _trips(rng, first, last)
    activities, days = [], {}
    ati = cti = 30.0
    hrv_history = []
    day = first
    while day <= last:
        progress = (day - first).days / max(1, (last - first).days)
        vo2max = 47 + 7 * progress + 1.5 * math.sin(day.toordinal() / 58)
        zone_name, city = trips.get(day, (HOME_ZONE, None))
        zone = ZoneInfo(zone_name)
        sessions = _sessions_for(rng, day)
        load = distance = duration = 0
        for sport, kind in sessions:
            name, (lo, hi), per_minute, hr_offset = _KINDS[kind]
            minutes = rng.randint(lo, hi)
            seconds = minutes * 60
            hour = (
                rng.choice([6, 6, 7, 7, 12, 18, 19, 20])
                if kind != "long"
                else rng.choice([7, 8, 9])
            )
            local = dt.datetime.combine(day, dt.time(hour, rng.randrange(0, 60, 5)), zone)
            pace = int(
                round((330 - 60 * progress) * (0.93 if kind in ("tempo", "intervals") else 1.0))
            )
            pace += rng.randint(-10, 10)
            if sport == 200:
                dist, pace = seconds * rng.uniform(7.0, 8.6), int(3600 / 29)
            elif sport == 300:
                dist, pace = seconds * rng.uniform(0.55, 0.7), 110
            elif sport == 402:
                dist, pace = 0.0, 0
            elif sport in (900, 104):
                pace = rng.randint(560, 720)
                dist = seconds / pace * 1000
            else:
                dist = seconds / pace * 1000
            act_load = int(minutes * per_minute * rng.uniform(0.85, 1.15))
            avg_hr = 140 + hr_offset + rng.randint(-5, 5)
            label = f"4{coros_day(day)}{len(activities):06d}"
            title = f"{city} {name}" if city else name
            activities.append(
                _activity_item(
                    label,
                    int(local.timestamp()),
                    zone,
                    sport,
                    title,
                    round(dist, 1),
                    seconds,
                    act_load,
                    avg_hr,
                    avg_hr + rng.randint(12, 25),
                    pace,
                    rng.randint(0, 15) * (10 if kind == "long" else 3),
                )
            )
            load += act_load
            distance += dist
            duration += seconds
        ati += (load - ati) / 7
        cti += (load - cti) / 42
        fatigue = ati - cti
        hrv = max(20, round(62 + 4 * progress - 0.25 * fatigue + rng.gauss(0, 6)))
        hrv_history.append(hrv)
        rhr = round(54 - 5 * progress + 0.08 * fatigue + rng.gauss(0, 1.5))
        days[coros_day(day)] = {
            "happenDay": coros_day(day),
            "trainingLoad": load,
            "distance": round(distance, 1),
            "duration": duration,
            "ati": round(ati, 1),
            "cti": round(cti, 1),
            "tiredRateNew": round(fatigue, 1),
            "trainingLoadRatio": round(ati / cti, 2) if cti else 0,
            "vo2max": round(vo2max),
            "staminaLevel": round(60 + 25 * progress + rng.uniform(-3, 3), 1),
            "rhr": rhr,
            "testRhr": rhr + rng.randint(0, 4),
            "avgSleepHrv": hrv,
            "sleepHrvBase": round(sum(hrv_history[-28:]) / len(hrv_history[-28:])),
            "lthr": 168,
            "ltsp": int(300 - 45 * progress),
            "recomendTlMin": round(cti * 0.8),
            "recomendTlMax": round(cti * 1.3),
        }
        day += dt.timedelta(days=1)
    account = _account(email, unit, days[coros_day(today)])
    athlete = Athlete(email, password, "100000000000000001", account, activities, days, today)
    goal = None
    if race_season:
        goal = Goal(sunday_on_or_after(today + dt.timedelta(weeks=8)), GOAL_NAME, 42_195.0)
        athlete.races = add_past_races(activities, first, last, today) + [
            {
                "date": goal.day.isoformat(),
                "name": goal.name,
                "distance_m": goal.metres,
                "target_s": 3 * 3600 + 15 * 60,
            }
        ]
    athlete.plan = make_plan(activities, today, plan_weeks, seed, goal) if plan_weeks else []
    return athlete


# (weeks before today, name, metres, race pace as a share of that day's easy pace)
PAST_RACES = (
    (30, "Spring 10K Race", 10_000.0, 0.86),
    (18, "City Half Marathon", 21_097.5, 0.90),
    (9, "Autumn 10K Race", 10_000.0, 0.85),
)
GOAL_NAME = "Valencia Marathon"


def sunday_on_or_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=(6 - day.weekday()) % 7)


def add_past_races(activities: list, first: dt.date, last: dt.date, today: dt.date) -> list:
    """Three races run on Sunday mornings at home, added to `activities` (their results are known:
    each activity's total time), as races.json lists them."""
    zone = ZoneInfo(HOME_ZONE)
    out = []
    for weeks, name, metres, share in PAST_RACES:
        day = sunday_on_or_after(today - dt.timedelta(weeks=weeks))
        if day < first:
            continue
        progress = (day - first).days / max(1, (last - first).days)
        pace = (330 - 60 * progress) * share  # s/km, the synthetic athlete's easy pace that day
        seconds = int(metres / 1000 * pace)
        start = int(dt.datetime.combine(day, dt.time(9, 0), zone).timestamp())
        label = f"5{coros_day(day)}{len(out):06d}"
        activities.append(
            _activity_item(
                label, start, zone, 100, name, metres, seconds, int(seconds / 60 * 2.2),
                172, 186, int(pace), 40,
            )
        )  # fmt: skip
        out.append(
            {"date": day.isoformat(), "name": name, "distance_m": metres, "activity_id": label}
        )
    activities.sort(key=lambda a: a["startTime"])
    return out


def _trips(rng, first, last) -> dict:
    """About one trip abroad every four months, a week long."""
    trips, day = {}, first + dt.timedelta(days=rng.randint(20, 60))
    while day <= last:
        zone, city = rng.choice(TRIP_ZONES)
        for i in range(rng.randint(5, 10)):
            trips[day + dt.timedelta(days=i)] = (zone, city)
        day += dt.timedelta(days=rng.randint(90, 150))
    return trips


def _sessions_for(rng, day) -> list:
    sessions = [] if rng.random() < 0.15 else [_WEEK_PLAN[day.weekday()]]
    if sessions and sessions[0][1] == "long" and rng.random() < 0.2:
        sessions = [(rng.choice((102, 104)), "long")]  # a trail run or a hike instead
    if day.weekday() in (2, 6) and rng.random() < 0.15:
        sessions.append((900, "walk"))
    return sessions


def _account(email, unit, day) -> dict:
    return {
        "userId": "100000000000000001",
        "nickname": "Demo Runner",
        "email": email,
        "birthday": 19880412,
        "sex": 1,
        "countryCode": "DE",
        "stature": 178.0,
        "weight": 68.0,
        "maxHr": 192,
        "rhr": day["rhr"],
        "unit": unit,
        "temperatureUnit": 0,
        "hrZoneType": 1,
        "zoneData": {
            "maxHr": 192,
            "rhr": day["rhr"],
            "lthr": day["lthr"],
            "ltsp": day["ltsp"],
            "ftp": 250,
            "maxHrZone": [115, 134, 154, 173, 192],
            "lthrZone": [143, 153, 163, 168, 178],
            "ltspZone": [390, 340, 310, day["ltsp"], 240],
            "cyclePowerZone": [138, 188, 225, 263, 300],
        },
        "runScoreList": run_scores(day["vo2max"]),
    }


def run_scores(vo2max: float) -> list:
    """Race predictions from VO2max (a Riegel curve anchored on a 5K time)."""
    five_k = 1200 * (50 / vo2max) ** 1.1
    out = []
    for race_type, km in ((5, 5), (4, 10), (2, 21.0975), (1, 42.195)):
        seconds = int(five_k * (km / 5) ** 1.06)
        out.append({"type": race_type, "duration": seconds, "avgPace": int(seconds / km)})
    return out


def seed_athlete(email: str = "seed@example.com", password: str = "seed-password") -> Athlete:
    """The 330 recorded activities and 84 analysis days of the original dashboard (a US runner)."""
    doc = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    days = {item["happenDay"]: item for item in doc["dayList"]}
    last = max(days)
    today = dt.date(last // 10000, last // 100 % 100, last % 100)
    account = _account(
        email, 1, {"rhr": days[last].get("rhr", 50), "lthr": 170, "ltsp": 300, "vo2max": 50}
    )
    account["userId"] = "200000000000000002"
    account["runScoreList"] = []
    return Athlete(
        email,
        password,
        "200000000000000002",
        account,
        list(doc["dataList"]),
        days,
        today,
        details=False,
    )
