"""fetch_coros.py against a hostile or broken COROS: no green run loses data, no run leaks a secret.

Each case runs the real command as a subprocess against the emulator over HTTP, from a stored
history, and checks the exit status, the one error line and the bytes of every data file.
"""

import gzip
import json
import re

import pytest
from support import run_in_process, snapshot

from coros_dashboard.emulator import Emulator, Fault

ACTIVITY_LIST = "activity/query"
PROGRESS = re.compile(r"activities: page \d+/\d+, \d+ read$")


def ids(world):
    return {
        a["id"] for a in json.loads((world.data_dir / "activities.json").read_text())["activities"]
    }


def assert_one_line_and_nothing_written(world, result, before, *fragments):
    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if not PROGRESS.match(line)]
    assert "Traceback" not in result.stderr and len(lines) == 1, result.stderr
    assert (
        lines[0].startswith("fetch_coros.py: error: ")
        and result.stderr.splitlines()[-1] == lines[0]
    )
    for fragment in fragments:
        assert fragment in result.stderr
    assert snapshot(world.data_dir) == before
    assert not list(world.data_dir.glob(".*.tmp"))


def drop_counts(answer):
    answer["data"].pop("count", None)
    answer["data"].pop("totalPage", None)


# --- data lost by green runs -------------------------------------------------------------------


@pytest.mark.parametrize("mode", [(), ("--full",)], ids=["daily", "full"])
def test_a_listing_without_counts_deletes_nothing(world, mode):
    before = ids(world)
    deleted = world.athlete.visible_activities()[2]
    world.athlete.activities.remove(deleted)
    world.faults.append(Fault(ACTIVITY_LIST, "edit", times=None, edit=drop_counts))
    result = world.fetch(*mode)
    assert result.returncode == 0, result.stderr
    assert ids(world) == before  # not even the really deleted one: the listing cannot prove it
    assert "0 removed" in result.stdout
    assert (
        "1 stored activity not listed by COROS kept: the listing was incomplete (COROS gave no "
        "activity count)" in result.stdout
    )


def test_a_deletion_while_paging_removes_no_live_activity(world):
    before = ids(world)
    page_one = world.athlete.visible_activities()[:100]
    gone = page_one[50]

    def delete_after_page_one(answer):
        world.athlete.activities.remove(gone)  # the list shifts under the pager

    world.faults.append(Fault(ACTIVITY_LIST, "edit", {"pageNumber": 1}, edit=delete_after_page_one))
    result = world.fetch("--full")
    assert result.returncode == 0, result.stderr
    assert (
        ids(world) == before
    )  # the live activity pushed onto page 1 is kept, and so, for now, is `gone`
    assert "the activity count changed while paging" in result.stdout
    world.clear_requests()
    result = world.fetch(
        "--full"
    )  # the next honest listing removes it, confirmed by re-listing its day
    assert "1 removed" in result.stdout and ids(world) == before - {gone["labelId"]}
    assert world.count(ACTIVITY_LIST) == len(before) // 100 + 1 + 1


def test_a_deleted_activity_is_confirmed_by_its_days_before_it_is_removed(world):
    gone = world.athlete.visible_activities()[0]
    world.athlete.activities.remove(gone)
    world.clear_requests()
    result = world.fetch()
    assert result.returncode == 0 and "1 removed" in result.stdout
    confirm = [q for _, p, q in world.requests if p == ACTIVITY_LIST and "startDay" in q]
    day = str(gone["date"])
    assert confirm == [{"size": "100", "pageNumber": "1", "startDay": day, "endDay": day}]


def test_an_activity_reappearing_in_the_check_is_kept(world):
    before = ids(world)
    hidden = world.athlete.visible_activities()[1]

    def hide(answer):
        answer["data"]["dataList"] = [
            a for a in answer["data"]["dataList"] if a["labelId"] != hidden["labelId"]
        ]
        answer["data"]["count"] -= 1

    world.faults.append(Fault(ACTIVITY_LIST, "edit", {"pageNumber": 1, "size": 100}, edit=hide))
    result = world.fetch()
    assert result.returncode == 0, result.stderr
    assert ids(world) == before and "0 removed" in result.stdout


# --- poisoned or unbounded input ----------------------------------------------------------------


def first_item(**changes):
    def edit(answer):
        answer["data"]["dataList"][0].update(changes)

    return edit


def raw_json(text):
    return Fault(ACTIVITY_LIST, "raw", times=None, status=200, body=text.encode())


@pytest.mark.parametrize(
    "fault, fragment",
    [
        (
            Fault(ACTIVITY_LIST, "edit", edit=lambda a: a["data"]["dataList"].append("run")),
            "dataList[100] is not an object",
        ),
        (
            Fault(ACTIVITY_LIST, "edit", edit=lambda a: {**a, "data": [1, 2]}),
            "data is not an object",
        ),
        (
            Fault(ACTIVITY_LIST, "edit", edit=lambda a: {**a, "data": {"dataList": {"a": 1}}}),
            "dataList is not a list",
        ),
        (
            Fault(ACTIVITY_LIST, "edit", edit=first_item(startTime=1787144400000)),
            "startTime 1787144400000",
        ),
        (Fault(ACTIVITY_LIST, "edit", edit=first_item(startTime=1e20)), "startTime 1e+20"),
        (
            Fault(ACTIVITY_LIST, "edit", edit=first_item(startTime=-1e12)),
            "startTime -1000000000000.0",
        ),
        (Fault(ACTIVITY_LIST, "edit", edit=first_item(startTimezone=200)), "startTimezone 200"),
        (Fault(ACTIVITY_LIST, "edit", edit=first_item(sportType="run")), "sportType 'run'"),
        (Fault(ACTIVITY_LIST, "edit", edit=first_item(calorie="Infinity")), "calorie 'Infinity'"),
        (
            Fault(ACTIVITY_LIST, "edit", edit=first_item(startTime=None, date=1)),
            "date 1 is not a day",
        ),
        (
            Fault(ACTIVITY_LIST, "edit", edit=first_item(startTime=None, date=99999999)),
            "date 99999999",
        ),
        (
            Fault(ACTIVITY_LIST, "edit", edit=first_item(startTime=None, date=20990101)),
            "date 20990101",
        ),
        (
            Fault(ACTIVITY_LIST, "edit", edit=lambda a: a["data"].update(totalPage=10**9)),
            "totalPage 1000000000",
        ),
        (Fault(ACTIVITY_LIST, "edit", edit=lambda a: a["data"].update(count=-1)), "count -1"),
        (
            Fault(
                "analyse/query", "edit", edit=lambda a: a["data"]["dayList"][0].update(happenDay=1)
            ),
            "happenDay 1",
        ),
        (
            Fault(
                "analyse/query", "edit", edit=lambda a: a["data"]["dayList"][0].update(rhr="NaN")
            ),
            "rhr 'NaN'",
        ),
        (raw_json('{"result": "0000", "data": {"count": NaN}}'), "not JSON"),
        (raw_json('{"result": "0000", "data": ' + "[" * 200_000 + "]" * 200_000 + "}"), "not JSON"),
        (raw_json('{"result": "0000", "data": {"count": ' + "9" * 5000 + "}}"), "not JSON"),
        (raw_json('{"result": ["0000"]}'), "result is ['0000']"),
        (
            Fault(
                "account/login",
                "raw",
                status=200,
                body=b'{"result": "0000", "data": ' + b"[" * 200_000 + b"]" * 200_000 + b"}",
            ),
            "account/login with something that is not JSON",
        ),
        (
            Fault("account/login", "edit", edit=lambda a: a["data"].update(accessToken=12345)),
            "access token",
        ),
        (
            Fault("account/login", "edit", edit=lambda a: a["data"].update(regionId=[1])),
            "regionId is not a number",
        ),
        (
            Fault("account/login", "edit", edit=lambda a: a["data"].update(userId={"id": 1})),
            "userId",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_malformed_answers_are_one_line_and_write_nothing(world, fault, fragment):
    world.athlete.add_activities(2)
    before = snapshot(world.data_dir)
    world.faults.append(fault)
    result = world.fetch(run=run_in_process)
    assert_one_line_and_nothing_written(world, result, before, fragment)


def test_implausible_values_are_left_out_with_warnings_and_the_rest_is_stored(world):
    new = world.athlete.add_activities(2)
    new[0].update(distance=1e308, calorie=-5000)
    result = world.fetch()
    assert result.returncode == 0, result.stderr
    assert "2 new" in result.stdout and "2 value(s) left out" in result.stdout
    assert (
        result.stderr.count("fetch_coros.py: warning: ") == 2
        and "distance 1e+308 is outside" in result.stderr
    )
    stored = {
        a["id"]: a
        for a in json.loads((world.data_dir / "activities.json").read_text())["activities"]
    }
    assert "distance_m" not in stored[new[0]["labelId"]] and "kcal" not in stored[new[0]["labelId"]]
    assert stored[new[1]["labelId"]]["distance_m"] == 8000


def test_pages_beyond_what_the_count_allows_stop_with_one_line(world):
    before = snapshot(world.data_dir)

    def endless(answer):  # every page full, a count of 250, no page total
        answer["data"]["dataList"] = world.athlete.visible_activities()[:100]
        answer["data"].update(count=250, totalPage=None)

    world.faults.append(Fault(ACTIVITY_LIST, "edit", times=None, edit=endless))
    result = world.fetch("--full")
    assert_one_line_and_nothing_written(
        world, result, before, "past page 5, more than its count of 250 allows"
    )
    assert world.count(ACTIVITY_LIST) == 5


def test_a_long_retry_after_fails_at_once_instead_of_sleeping(world):
    before = snapshot(world.data_dir)
    world.faults.append(
        Fault(ACTIVITY_LIST, "raw", times=None, status=429, headers={"Retry-After": "100000"})
    )
    result = world.fetch()
    assert_one_line_and_nothing_written(
        world, result, before, "retry activity/query after 100000 s"
    )
    assert world.count(ACTIVITY_LIST) == 1


def test_an_unreadable_retry_after_falls_back_to_backoff(world):
    world.faults.append(
        Fault(ACTIVITY_LIST, "raw", times=2, status=503, headers={"Retry-After": "soon-ish"})
    )
    result = world.fetch()
    assert result.returncode == 0, result.stderr
    before = snapshot(world.data_dir)
    world.faults.append(
        Fault(ACTIVITY_LIST, "raw", times=None, status=503, headers={"Retry-After": "soon-ish"})
    )
    result = world.fetch()
    assert_one_line_and_nothing_written(
        world, result, before, "HTTP 503 on activity/query after retries"
    )


def test_a_decompression_bomb_is_refused_without_reading_it_whole(world):
    before = snapshot(world.data_dir)
    bomb = gzip.compress(
        b'{"result": "0000", "data": {"name": "' + b"0" * 30_000_000 + b'"}}', compresslevel=9
    )
    world.faults.append(
        Fault(ACTIVITY_LIST, "raw", status=200, body=bomb, headers={"Content-Encoding": "gzip"})
    )
    result = world.fetch()
    assert_one_line_and_nothing_written(world, result, before, "larger than 20 MB")


# --- secrets
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, status", [(ACTIVITY_LIST, 302), ("account/login", 307), ("account/query", 301)]
)
def test_credentials_never_follow_a_redirect(world, path, status):
    before = snapshot(world.data_dir)
    with Emulator([]) as elsewhere:
        world.faults.append(
            Fault(path, "raw", status=status, headers={"Location": f"{elsewhere.base_url}/{path}"})
        )
        result = world.fetch()
        assert elsewhere.count() == 0
    assert_one_line_and_nothing_written(
        world,
        result,
        before,
        f"redirect (HTTP {status}) to '127.0.0.1'",
        "refusing to send your credentials",
    )


@pytest.mark.parametrize("token", ["abc\r\nX-Evil: 1", "tok en", "é" * 10])
def test_an_unusable_token_is_refused_and_never_printed(world, token):
    before = snapshot(world.data_dir)
    world.faults.append(
        Fault("account/login", "edit", edit=lambda a: a["data"].update(accessToken=token))
    )
    result = world.fetch()
    assert_one_line_and_nothing_written(
        world, result, before, "access token is not a printable ASCII string"
    )
    assert token not in result.stderr + result.stdout and "abc" not in result.stderr
