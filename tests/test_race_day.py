"""The race-day section built from the pipeline's data: its numbers against computations made
here from the data files alone, and a bad races.json costing that section only."""

import datetime as dt
import html
import json
import math
import re

import pytest
from support import TODAY, copy_data, run_in_process

NOW = "2026-11-22T07:00:00+01:00"


def build(data_dir, site_dir):
    result = run_in_process(
        "build_site.py", "--data-dir", data_dir, "--site-dir", site_dir, "--now", NOW
    )
    assert result.returncode == 0, result.stderr
    return result


def text_of(page: str, section: str) -> str:
    start = page.index(f'<section id="{section}"')
    body = page[start : page.index("</section>", start)]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def daily_loads(data_dir) -> dict[dt.date, float]:
    out: dict[dt.date, float] = {}
    for a in json.loads((data_dir / "activities.json").read_text())["activities"]:
        day = dt.date.fromisoformat(a["date"])
        out[day] = out.get(day, 0.0) + (a.get("training_load") or 0.0)
    return out


def state_after(loads: dict[dt.date, float], last: dt.date) -> tuple[float, float]:
    """Fitness and fatigue after `last`, by the update rule, from zero on the first day."""
    k_c, k_a = 1 - math.exp(-1 / 42), 1 - math.exp(-1 / 7)
    fitness = fatigue = 0.0
    day = min(loads)
    while day <= last:
        load = loads.get(day, 0.0)
        fitness += k_c * (load - fitness)
        fatigue += k_a * (load - fatigue)
        day += dt.timedelta(days=1)
    return fitness, fatigue


@pytest.fixture(scope="module")
def race_site(demo_data, tmp_path_factory):
    site = tmp_path_factory.mktemp("race") / "site"
    build(demo_data, site)
    return site


def test_race_day_form_is_the_models_own_update_rule_over_the_plan(demo_data, race_site):
    races = json.loads((demo_data / "races.json").read_text())["races"]
    goal = min((r for r in races if r["date"] >= TODAY.isoformat()), key=lambda r: r["date"])
    race_day = dt.date.fromisoformat(goal["date"])
    loads = daily_loads(demo_data)
    fitness, fatigue = state_after(loads, TODAY - dt.timedelta(days=1))
    plan = json.loads((demo_data / "plan.json").read_text())["workouts"]
    done_today = {w["id"] for w in plan if w["date"] == TODAY.isoformat() and w.get("activity_id")}
    k_c, k_a = 1 - math.exp(-1 / 42), 1 - math.exp(-1 / 7)
    day = TODAY
    while day < race_day:  # to race eve: today's done and not-yet-done planned load, then plan
        load = loads.get(day, 0.0) if day == TODAY else 0.0
        load += sum(
            w.get("load") or 0
            for w in plan
            if w["date"] == day.isoformat() and w["id"] not in done_today
        )
        fitness += k_c * (load - fitness)
        fatigue += k_a * (load - fatigue)
        day += dt.timedelta(days=1)
    page = (race_site / "index.html").read_text()
    words = text_of(page, "race")
    expected = f"{fitness - fatigue:+.0f}".replace("-", "−")
    assert f"Form on race day: {expected} as planned" in words, words
    assert goal["name"] in words and "as you usually train" in words
    assert "Bosquet et al. 2007" in words and "within the evidence" in words  # a 50 % cut


def test_the_load_budget_keeps_form_at_the_edge_it_names(demo_data, race_site):
    fitness, fatigue = state_after(daily_loads(demo_data), TODAY - dt.timedelta(days=1))
    k_c, k_a = 1 - math.exp(-1 / 42), 1 - math.exp(-1 / 7)
    edge = ((1 - k_c) * fitness - (1 - k_a) * fatigue + 30) / (k_a - k_c)
    after = (fitness + k_c * (edge - fitness)) - (fatigue + k_a * (edge - fatigue))
    assert after == pytest.approx(-30)
    words = text_of((race_site / "index.html").read_text(), "plan")  # beside today's plan
    assert f"Load budget today up to {edge:,.0f} keeps form above −30" in words, words


def test_predictions_are_back_tested_on_the_past_races_listed(demo_data, race_site):
    races = json.loads((demo_data / "races.json").read_text())["races"]
    acts = {
        a["id"]: a for a in json.loads((demo_data / "activities.json").read_text())["activities"]
    }
    errors = []
    for r in (r for r in races if r["date"] < TODAY.isoformat()):
        day = dt.date.fromisoformat(r["date"])
        start = day - dt.timedelta(days=84)
        runs = [
            a
            for a in acts.values()
            if a["sport"].startswith("Run") and a["distance_m"] >= 1500
            and a["id"] != r["activity_id"]
            and start <= dt.date.fromisoformat(a["date"]) < day
        ]  # fmt: skip
        best = min(a["moving_s"] * (r["distance_m"] / a["distance_m"]) ** 1.06 for a in runs)
        actual = acts[r["activity_id"]]["elapsed_s"]
        errors.append(abs(best - actual) / actual)
    words = text_of((race_site / "index.html").read_text(), "race")
    mape = f"{100 * sum(errors) / len(errors):.1f} % off on 3 past races"
    assert re.search(rf"Riegel( \(headline\))? \S+ .*? {re.escape(mape)}", words), (mape, words)
    assert "Spring 10K Race" in words and "City Half Marathon" in words
    assert "Predicted finish: " in words and "past races" in words


def test_the_projection_has_words_and_a_data_table(race_site):
    page = (race_site / "index.html").read_text()
    figure = page[page.index('id="race-projection"') :]
    assert "Data table" in figure[:20_000] and "Form as planned" in figure[:20_000]


def test_a_bad_races_file_costs_the_race_section_only(demo_data, tmp_path):
    data = copy_data(demo_data, tmp_path / "data")
    before = (data / "races.json").read_bytes()
    doc = json.loads(before)
    doc["races"][0]["distance_m"] = "ten k"
    (data / "races.json").write_text(json.dumps(doc))
    written = (data / "races.json").read_bytes()
    result = build(data, tmp_path / "site")
    assert "races.json" in result.stdout + result.stderr
    page = (tmp_path / "site" / "index.html").read_text()
    words = text_of(page, "race")
    assert "'distance_m' must be a number" in words and "Predicted" not in words
    assert 'id="fitness"' in page and "Valencia" not in words
    assert (data / "races.json").read_bytes() == written  # the build never writes data/


def test_runs_named_like_races_are_proposed_never_assumed(demo_data, tmp_path):
    def parkrun(activities):
        runs = [a for a in activities if a["sport"].startswith("Run")]
        runs[-5]["name"] = "Saturday parkrun"

    data = copy_data(demo_data, tmp_path / "data", edit=parkrun)
    build(data, tmp_path / "site")
    words = text_of((tmp_path / "site" / "index.html").read_text(), "race")
    assert "Saturday parkrun" in words and "named like races" in words
    assert "3 past races" in words  # still the three listed: proposed, not counted


def test_a_past_race_without_a_result_is_named_not_silently_dropped(demo_data, tmp_path):
    data = copy_data(demo_data, tmp_path / "data")
    doc = json.loads((data / "races.json").read_text())
    doc["races"].append({"date": "2026-06-07", "name": "Lost Half", "distance_m": 21097.5,
                         "activity_id": "999999999"})  # fmt: skip
    (data / "races.json").write_text(json.dumps(doc))
    build(data, tmp_path / "site")
    words = text_of((tmp_path / "site" / "index.html").read_text(), "race")
    assert "Not tested on: Lost Half" in words and "3 past races" in words


def test_the_marathon_shape_is_measured_against_the_goal_times_targets(demo_data, race_site):
    from coros_dashboard.site.race import vdot

    goal = next(r for r in json.loads((demo_data / "races.json").read_text())["races"]
                if "target_s" in r)  # fmt: skip
    words = text_of((race_site / "index.html").read_text(), "race")
    score = vdot(goal["distance_m"], goal["target_s"])
    assert f"against the targets of a 3:15:00 marathon (VDOT {score:.1f}: " in words, words
    assert f"{score**1.135:.0f} km a week over 26 weeks" in words
    assert re.search(r"Marathon shape .*: \d+ % today, \d+ % on race day as planned", words)


def test_hostile_races_cost_nothing_but_what_they_name(demo_data, tmp_path):
    """A goal in the year 9999 is not projected (no plan reaches it, and pandas' dates end in
    2262); 5,000 past races are back-tested on the newest 50 only."""
    data = copy_data(demo_data, tmp_path / "data")
    doc = json.loads((data / "races.json").read_text())
    start = dt.date(2020, 1, 5)
    doc["races"] = [
        {"date": (start + dt.timedelta(days=i)).isoformat(), "name": f"Race {i}",
         "distance_m": 10_000, "result_s": 2400 + i % 300}
        for i in range(5000)
        if start + dt.timedelta(days=i) < TODAY
    ] + [
        {"date": "9999-12-31", "name": "Far Away Marathon", "distance_m": 42195},
        {"date": "2027-01-17", "name": "Real Goal 10K", "distance_m": 10_000},
    ]  # fmt: skip
    (data / "races.json").write_text(json.dumps(doc))
    build(data, tmp_path / "site")
    words = text_of((tmp_path / "site" / "index.html").read_text(), "race")
    assert "Real Goal 10K" in words and "Far Away" not in words
    assert "50 past races" in words
