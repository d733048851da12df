"""COROS's training schedule → data/plan.json: the structure in words, the boundary rules, the merge
that moves and deletes, and the real fetch against the emulator (read only, few requests)."""

import datetime as dt
import json
import math

import pytest
from support import DEMO_EMAIL, DEMO_PASSWORD, TODAY, fetch_from

from coros_dashboard.coros.client import CorosShapeError
from coros_dashboard.coros.schedule import merge_plan, plan_records, structure_text
from coros_dashboard.emulator import Emulator, Fault, synthetic_athlete
from coros_dashboard.emulator.training_plan import PLAN_ID, step
from coros_dashboard.errors import Problems

FIRST, LAST = dt.date(2026, 11, 1), dt.date(2026, 12, 20)
READ_ONLY = {
    "account/login",  # a POST, but it reads: it writes nothing on COROS
    "account/query",
    "activity/query",
    "analyse/query",
    "analyse/dayDetail/query",
    "dashboard/query",
    "activity/detail/query",
    "activity/detail/download",
    "training/schedule/query",
}


INTERVALS = [
    step(1, 1, 5, 2000),
    {"id": 2, "sortNo": 2, "isGroup": True, "exerciseType": 0, "sets": 6, "restType": 3},
    step(3, 2, 5, 800, pace=225_000, group=2, rest=120),
    step(4, 3, 5, 2000),
]


def test_a_workouts_structure_in_one_line():
    assert (
        structure_text(INTERVALS)
        == "2 km warm-up, 6 × 800 m at 3:45/km with 2 min rest, 2 km cool-down"
    )
    assert structure_text([step(1, 2, 2, 2700, hr=(140, 150))]) == "45 min at 140–150 bpm"
    assert structure_text([step(2, 3, 2, 600), step(1, 1, 2, 90)]) == (
        "1:30 min warm-up, 10 min cool-down"
    )  # in sortNo order
    old_template = {**step(1, 2, 5, 10000), "intensityType": 3, "intensityValue": 300}
    assert structure_text([old_template]) == "10 km at 5:00/km"  # raw seconds, no multiplier


def answer(entities, programs):
    return {"id": PLAN_ID, "entities": entities, "programs": programs}


def entity(key, day, label=None):
    out = {"idInPlan": key, "planProgramId": key, "happenDay": day}
    if label:
        out["sportData"] = {"labelId": label, "distance": 8000}
    return out


def program(key, **values):
    return {
        "idInPlan": key,
        "name": "Easy Run",
        "sportType": 1,
        "planDistance": 8000,
        "planDuration": 2700,
        "planTrainingLoad": 60,
        "exercises": [step(1, 2, 5, 8000)],
        **values,
    }


def test_a_planned_workout_becomes_a_record():
    warnings = Problems()
    records, unplaced = plan_records(
        answer([entity("5", 20261112, "4202611120001")], [program("5", exercises=INTERVALS)]),
        FIRST,
        LAST,
        warnings,
    )
    assert not unplaced
    assert records == [
        {
            "id": f"{PLAN_ID}-5",
            "date": "2026-11-12",
            "name": "Easy Run",
            "sport_code": 100,
            "distance_m": 8000,
            "duration_s": 2700,
            "load": 60,
            "summary": "2 km warm-up, 6 × 800 m at 3:45/km with 2 min rest, 2 km cool-down",
            "activity_id": "4202611120001",
        }
    ]
    assert not warnings


@pytest.mark.parametrize(
    "entities, programs, left_out, warning",
    [
        (
            [entity("1", 20261112), entity("2", 20270101)],
            [program("1"), program("2")],
            1,
            "happenDay 20270101",
        ),
        ([entity("1", 20261031)], [program("1")], 1, "is not a day from 2026-11-01"),
        ([entity("1", "soon")], [program("1")], 1, "happenDay 'soon'"),
    ],
)
def test_workouts_that_cannot_be_placed_are_left_out_with_a_warning(
    entities, programs, left_out, warning
):
    warnings = Problems()
    records, unplaced = plan_records(answer(entities, programs), FIRST, LAST, warnings)
    assert len(records) == len(entities) - left_out and not unplaced
    assert len(warnings) == 1 and warning in warnings[0] and warnings[0].endswith("left out")


@pytest.mark.parametrize(
    "field, value", [("planDistance", -100), ("planDuration", math.nan), ("planTrainingLoad", 1e12)]
)
def test_an_impossible_planned_value_is_left_out_with_a_warning(field, value):
    warnings = Problems()
    (record,), _ = plan_records(
        answer([entity("1", 20261112)], [program("1", **{field: value})]),
        FIRST,
        LAST,
        warnings,
    )
    kept = {"planDistance": "distance_m", "planDuration": "duration_s", "planTrainingLoad": "load"}
    assert kept[field] not in record and len(record) == 8 - 1
    assert len(warnings) == 1 and field in warnings[0]


@pytest.mark.parametrize(
    "entities, programs",
    [
        ([entity("1", 20261112)], [program("1"), program("1", name="Other")]),
        ([entity("1", 20261112), entity("1", 20261114)], [program("1")]),
        ([entity([2], 20261112)], [program([2])]),
        ([entity("1", 20261112)], []),
        ([entity("1", 20261112), entity("2", 20261113)], [program("3")]),
    ],
)
def test_an_ambiguous_answer_is_refused(entities, programs):
    with pytest.raises(CorosShapeError, match="training/schedule/query"):
        plan_records(answer(entities, programs), FIRST, LAST, Problems())


def test_the_merge_moves_and_deletes_inside_the_window_and_keeps_the_rest():
    old = {"id": "p-1", "date": "2026-10-01", "name": "Long ago"}
    moved_before = {"id": "p-2", "date": "2026-11-10"}
    deleted = {"id": "p-3", "date": "2026-11-11"}
    moved_after = {"id": "p-2", "date": "2026-11-20"}
    merged = merge_plan([old, moved_before, deleted], [moved_after], FIRST, LAST)
    assert merged == [old, moved_after]


def fetch(emu, data_dir, *args):
    return fetch_from(emu, data_dir, 0, *args, COROS_TIMEOUT="60")


def plan_athlete(**kw):
    return synthetic_athlete(
        years=0.5, seed=5, today=TODAY, email=DEMO_EMAIL, password=DEMO_PASSWORD, **kw
    )


def stored(data_dir) -> dict:
    return {w["id"]: w for w in json.loads((data_dir / "plan.json").read_text())["workouts"]}


def test_the_schedule_round_trip_with_a_moved_and_a_deleted_workout(tmp_path):
    athlete = plan_athlete()
    data_dir = tmp_path / "data"
    with Emulator([athlete]) as emu:
        result = fetch(emu, data_dir, "--full")
        assert result.returncode == 0, result.stderr
        assert {p for _, p, _ in emu.requests} <= READ_ONLY  # never a write endpoint
        plan = stored(data_dir)
        visible = {a["labelId"] for a in athlete.visible_activities()}
        assert len(plan) == len(athlete.plan) and len(plan) > 20
        for w in athlete.plan:
            record = plan[f"{PLAN_ID}-{w['idInPlan']}"]
            day = w["happenDay"]
            assert record["date"] == f"{day // 10000}-{day // 100 % 100:02d}-{day % 100:02d}"
            assert record["name"] == w["program"]["name"]
            assert record.get("activity_id") == (w["labelId"] if w["labelId"] in visible else None)
        assert "plan: " in result.stdout
        text = (data_dir / "plan.json").read_text()
        assert text.endswith("\n") and text.startswith('{\n  "version": 1')

        before = text
        assert fetch(emu, data_dir).returncode == 0  # a daily run reads a part of what --full read
        assert (data_dir / "plan.json").read_text() == before

        ahead = [w for w in athlete.plan if w["happenDay"] > 20261122]
        athlete.move_workout(ahead[0]["idInPlan"], TODAY + dt.timedelta(days=3))
        athlete.delete_workout(ahead[1]["idInPlan"])
        emu.clear_requests()
        result = fetch(emu, data_dir)
        assert result.returncode == 0, result.stderr
        assert len(emu.requests) <= 7  # a daily run with the schedule
        assert {p for _, p, _ in emu.requests} <= READ_ONLY
        after = stored(data_dir)
        assert after[f"{PLAN_ID}-{ahead[0]['idInPlan']}"]["date"] == "2026-11-25"
        assert f"{PLAN_ID}-{ahead[1]['idInPlan']}" not in after
        assert len(after) == len(plan) - 1


def test_an_account_without_a_plan_gets_no_plan_file(tmp_path):
    with Emulator([plan_athlete(plan_weeks=0)]) as emu:
        result = fetch(emu, tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "data" / "plan.json").exists() and "plan:" not in result.stdout


@pytest.mark.parametrize(
    "edit, words",
    [
        (lambda a: a["data"]["programs"].append(dict(a["data"]["programs"][0])), "two programs"),
        (lambda a: a["data"].update(entities={"1": {}}), "entities is not a list"),
    ],
)
def test_an_ambiguous_schedule_keeps_the_plan_and_saves_the_day(tmp_path, edit, words):
    athlete = plan_athlete()
    data_dir = tmp_path / "data"
    with Emulator([athlete]) as emu:
        assert fetch(emu, data_dir).returncode == 0
        plan = (data_dir / "plan.json").read_bytes()
        athlete.add_activities(1)
        emu.faults.append(Fault("training/schedule/query", "edit", edit=edit))
        result = fetch(emu, data_dir)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if not line.startswith("activities: ")]
    assert len(lines) == 1 and words in lines[0] and "stored plan is kept" in lines[0], lines
    assert "warning: training plan skipped" in lines[0] and "nothing was written" not in lines[0]
    assert "1 new" in result.stdout
    assert (data_dir / "plan.json").read_bytes() == plan


def test_an_error_code_for_the_schedule_keeps_the_plan_and_never_costs_the_sync(tmp_path):
    athlete = plan_athlete()
    data_dir = tmp_path / "data"
    with Emulator([athlete]) as emu:
        assert fetch(emu, data_dir).returncode == 0
        plan = (data_dir / "plan.json").read_bytes()
        athlete.add_activities(1)
        emu.faults.append(Fault("training/schedule/query", "code", code="5001"))
        result = fetch(emu, data_dir)
    assert result.returncode == 0, result.stderr
    assert "code 5001" in result.stderr and "stored plan is kept" in result.stderr
    assert "1 new" in result.stdout  # the day's sync was saved
    assert (data_dir / "plan.json").read_bytes() == plan


def test_a_steps_numbers_out_of_range_are_not_said():
    hostile = [
        {**step(1, 1, 5, math.inf)},
        {"id": 2, "sortNo": 2, "isGroup": True, "exerciseType": 0, "sets": -3, "restType": 3},
        {
            **step(3, 2, 5, 800, pace=150_000_000_000_000_000, group=2),
            "intensityValueExtend": 250_000,
        },
        {**step(4, 3, 5, 10**400), "intensityType": 2, "intensityValue": 1e999},
    ]
    assert structure_text(hostile) == "warm-up, 1 × 800 m, cool-down"


def test_a_program_of_20000_steps_gives_a_bounded_summary():
    steps = [step(i, 2, 5, 400, pace=240_000, group=0) for i in range(1, 20_001)]
    groups = [{"id": 0, "sortNo": 0, "isGroup": True, "sets": 2}]
    text = structure_text(groups + steps)
    assert text.startswith("2 × 400 m at 4:00/km + 400 m") and len(text) <= 500


def test_a_crowded_window_is_capped_with_a_warning():
    entities = [entity(str(i), 20261112) for i in range(120)]
    programs = [program(str(i)) for i in range(120)]
    warnings = Problems()
    records, _ = plan_records(answer(entities, programs), FIRST, LAST, warnings)
    assert len(records) == 50 and "more than 50 planned workouts on 2026-11-12" in warnings[0]
    crowded = [*entities, entity("next", 20261113)]  # a crowded day costs no other day
    records, _ = plan_records(
        answer(crowded, [*programs, program("next")]), FIRST, LAST, Problems()
    )
    assert len(records) == 51 and records[-1]["date"] == "2026-11-13"


def test_a_window_past_a_thousand_workouts_is_cut_with_one_warning():
    days = [20261101 + i for i in range(30)]  # 1–30 Nov, 40 a day
    entities = [entity(f"{d}-{k}", d) for d in days for k in range(40)]
    programs = [program(f"{d}-{k}") for d in days for k in range(40)]
    warnings = Problems()
    records, _ = plan_records(answer(entities, programs), FIRST, LAST, warnings)
    assert len(records) == 1000 and len(warnings) == 1
    assert "more than 1000 planned workouts from 2026-11-01" in warnings[0]
