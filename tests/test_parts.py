"""Required and optional parts of a fetch run (coros.parts): a hostile or failing training plan,
dashboard summary or detail phase never costs the day's activities; a failing required part still
writes nothing. Each case runs fetch_coros.py against the emulator over real HTTP."""

import json
import re
import time

import pytest
from support import snapshot

from coros_dashboard.coros.parts import REQUIRED, Part, attempt
from coros_dashboard.emulator import Fault
from coros_dashboard.errors import Problems

SCHEDULE = "training/schedule/query"
WARNING = "fetch_coros.py: warning: "


def stored_plan(world) -> dict:
    return {w["id"]: w for w in json.loads((world.data_dir / "plan.json").read_text())["workouts"]}


def warnings(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith(WARNING)]


def assert_day_saved_and_part_kept(world, result, kept: dict, *fragments):
    """Exit 0, the two new activities stored, the optional part's files byte-identical, and one
    warning holding every fragment."""
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "error:" not in result.stderr
    assert "2 new" in result.stdout, result.stdout
    after = snapshot(world.data_dir)
    for path, data in kept.items():
        assert after[path] == data, path
    (line,) = [w for w in warnings(result) if "skipped" in w]
    for fragment in fragments:
        assert fragment in line, line


@pytest.fixture
def plan_world(world):
    """`world` with two new activities waiting and its stored plan.json in `world.kept`."""
    world.athlete.add_activities(2)
    world.kept = {p: d for p, d in snapshot(world.data_dir).items() if p.name == "plan.json"}
    assert world.kept
    return world


def first_program(**values):
    def edit(answer):
        answer["data"]["programs"][0].update(values)

    return edit


def first_step(**values):
    def edit(answer):
        answer["data"]["programs"][0]["exercises"][0].update(values)

    return edit


def literal(edit, placeholder: str, text: str):
    """`edit`, then the answer as bytes with the JSON string `placeholder` replaced by `text` (a
    number json.dumps cannot write, such as 1e999)."""

    def raw(answer):
        edit(answer)
        return json.dumps(answer).replace(json.dumps(placeholder), text).encode()

    return raw


@pytest.mark.parametrize(
    "fault, fragments",
    [
        (Fault(SCHEDULE, "status", status=404, times=None), ["HTTP 404 on " + SCHEDULE]),
        (Fault(SCHEDULE, "code", code="5001"), ["code 5001"]),
        (Fault(SCHEDULE, "malformed"), ["not JSON"]),
        (Fault(SCHEDULE, "edit", edit=lambda a: a.update(data=None)), ["no entities or programs"]),
        (
            Fault(SCHEDULE, "edit", edit=lambda a: a["data"].update(programs=[])),
            ["none of its", "has a program"],
        ),
        (
            Fault(SCHEDULE, "edit", edit=lambda a: a["data"].update(entities={"1": {}})),
            ["entities is not a list"],
        ),
    ],
    ids=["http-404", "code", "not-json", "data-null", "programs-empty", "entities-object"],
)
def test_a_failing_plan_keeps_the_stored_plan_and_saves_the_day(plan_world, fault, fragments):
    plan_world.faults.append(fault)
    result = plan_world.fetch()
    assert_day_saved_and_part_kept(
        plan_world,
        result,
        plan_world.kept,
        "training plan skipped",
        "stored plan is kept",
        *fragments,
    )


def test_a_plan_answer_dripping_ends_at_the_plans_deadline(plan_world):
    """18 KB at 20 bytes/s would take 15 minutes; COROS_PLAN_DEADLINE ends it."""
    plan_world.faults.append(Fault(SCHEDULE, "drip", seconds=0.05))
    started = time.monotonic()
    result = plan_world.fetch(COROS_PLAN_DEADLINE="1")
    assert time.monotonic() - started < 60
    assert_day_saved_and_part_kept(
        plan_world, result, plan_world.kept, "still arriving", "COROS_PLAN_DEADLINE"
    )


def test_a_required_answer_dripping_ends_at_the_request_deadline_and_writes_nothing(world):
    world.athlete.add_activities(2)
    before = snapshot(world.data_dir)
    world.faults.append(Fault("analyse/query", "drip", seconds=0.05))
    result = world.fetch(COROS_REQUEST_DEADLINE="1")
    assert result.returncode == 1
    assert "analyse/query was still arriving" in result.stderr
    assert "COROS_REQUEST_DEADLINE" in result.stderr.splitlines()[-1]
    assert snapshot(world.data_dir) == before


@pytest.mark.parametrize("path", ["analyse/query", "activity/query", "account/query"])
def test_a_required_part_failing_leaves_every_file_byte_identical(world, path):
    world.athlete.add_activities(2)
    before = snapshot(world.data_dir)
    world.faults.append(Fault(path, "status", status=404, times=None))
    result = world.fetch()
    assert result.returncode == 1 and f"HTTP 404 on {path}" in result.stderr
    assert snapshot(world.data_dir) == before


@pytest.mark.parametrize(
    "edit, fragment",
    [
        (lambda a: a["data"].update(summaryInfo=[]), "summaryInfo is not"),
        (lambda a: a["data"]["summaryInfo"].update(runScoreList=[7]), "runScoreList[0]"),
    ],
)
def test_a_bad_dashboard_summary_costs_only_its_own_values(world, edit, fragment):
    world.athlete.add_activities(2)
    world.faults.append(Fault("dashboard/query", "edit", edit=edit))
    result = world.fetch()
    assert_day_saved_and_part_kept(world, result, {}, "dashboard summary skipped", fragment)


@pytest.mark.parametrize(
    "edit",
    [
        first_program(planDistance=10**400),
        literal(first_step(intensityValue="BIG"), "BIG", "1e999"),
        first_step(targetValue=10**400),
        first_step(groupId=[2]),
    ],
    ids=["distance-401-digits", "intensity-1e999", "target-401-digits", "group-id-list"],
)
def test_hostile_plan_numbers_are_left_out_not_fatal(plan_world, edit):
    plan_world.faults.append(Fault(SCHEDULE, "edit", edit=edit))
    result = plan_world.fetch()
    assert result.returncode == 0, result.stderr
    assert "2 new" in result.stdout and "skipped" not in result.stderr
    for workout in stored_plan(plan_world).values():
        assert not re.search(r"\binf\b|nan|(^|\s)-\d|\d{5}", workout.get("summary", ""))


def test_long_plan_ids_become_safe_stored_ids(plan_world):
    def long_ids(answer):
        answer["data"]["id"] = "P" * 40
        for item in answer["data"]["entities"] + answer["data"]["programs"]:
            item["idInPlan"] = "I" * 30 + str(item["idInPlan"])
        for item in answer["data"]["entities"]:
            item["planProgramId"] = item["idInPlan"]

    plan_world.faults.append(Fault(SCHEDULE, "edit", times=2, edit=long_ids))
    result = plan_world.fetch()
    assert result.returncode == 0 and "skipped" not in result.stderr, result.stderr
    first = stored_plan(plan_world)
    hashed = [i for i in first if i.startswith("P" * 23 + "-")]
    assert hashed and all(len(i) == 64 for i in hashed)
    assert plan_world.fetch().returncode == 0  # the same answer: the same stored ids
    assert stored_plan(plan_world) == first


def test_an_optional_part_is_declared_once():
    assert REQUIRED[Part.ACTIVITIES] and REQUIRED[Part.DAILY]
    assert not any(REQUIRED[p] for p in (Part.PLAN, Part.DASHBOARD, Part.DETAILS))
    assert set(REQUIRED) == set(Part)
    problems = Problems()

    def bug():
        return {}[1]

    assert attempt(Part.PLAN, bug, "kept", problems) == "kept"
    assert "unexpected KeyError at test_parts.py:" in problems[0]
    with pytest.raises(KeyError):
        attempt(Part.DAILY, bug, "kept", Problems())


def test_a_skipped_part_shows_in_the_job_summary_and_as_an_annotation(plan_world, tmp_path):
    summary = tmp_path / "step-summary.md"
    summary.write_text("### an earlier step\n\n")
    plan_world.faults.append(Fault(SCHEDULE, "status", status=404, times=None))
    result = plan_world.fetch(GITHUB_STEP_SUMMARY=str(summary), GITHUB_ACTIONS="true")
    assert result.returncode == 0, result.stderr
    text = summary.read_text()
    assert text.startswith("### an earlier step\n\n### fetch_coros.py: done\n\n~~~text\n")
    assert "fetch_coros.py: warning: training plan skipped: COROS answered HTTP 404" in text
    assert "fetch_coros: activities: 2 new" in text and text.endswith("~~~\n\n")
    (annotation,) = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotation.startswith("::warning title=fetch_coros.py::training plan skipped: ")


def test_a_failed_run_shows_its_error_in_the_job_summary(world, tmp_path):
    summary = tmp_path / "step-summary.md"
    world.faults.append(Fault("analyse/query", "status", status=404, times=None))
    result = world.fetch(GITHUB_STEP_SUMMARY=str(summary), GITHUB_ACTIONS="true")
    assert result.returncode == 1
    text = summary.read_text()
    assert (
        text.startswith("### fetch_coros.py: failed\n") and "error: COROS answered HTTP 404" in text
    )
    assert "::error title=fetch_coros.py::COROS answered HTTP 404" in result.stdout


def test_a_report_line_can_never_close_its_block_or_become_a_command():
    from coros_dashboard.report import _command_data, summary_markdown

    hostile = "~~~\n# heading\r\n::error::x %0A"
    text = summary_markdown("fetch_coros.py", "done", [f"fetch_coros: {hostile}"])
    assert text.count("\n~~~") == 1 + 1  # the block's own fences, none from the line
    assert "\n" not in _command_data(hostile) and "\r" not in _command_data(hostile)
    assert _command_data("100%") == "100%25"
