"""The commit step: concurrent fetch runs and health pushes against one remote lose nothing.

Races are forced, never hoped for: a pre-push hook in the writer's clone pushes a competing commit
to the remote just before the writer's own push, so the first push is rejected every time.
"""

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time

import pytest
from support import DEMO_EMAIL, DEMO_PASSWORD, ROOT, TODAY, made_once

from coros_dashboard.emulator import Emulator, synthetic_athlete


def git(cwd, *args):
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


def writer_env(base_url, **extra):
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("COROS_", "GITHUB_", "DATA_DIR"))
    }
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "COROS_API_BASE": base_url,
            "COROS_EMAIL": DEMO_EMAIL,
            "COROS_PASSWORD": DEMO_PASSWORD,
            "COROS_BACKOFF": "0",
            "COMMIT_BACKOFF": "0.01",
            "COROS_DETAIL_BUDGET": "0",
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
            **extra,
        }
    )
    return env


def commit_cmd(*command):
    return [sys.executable, "-m", "coros_dashboard.store.commit", "--", *command]


def fetch(world):
    return [
        sys.executable,
        str(ROOT / "fetch_coros.py"),
        "--today",
        world["athlete"].today.isoformat(),
    ]


def receive(path):
    return [sys.executable, str(ROOT / "receive_health_data.py"), str(path)]


def fetch_cmd(world):
    return commit_cmd(*fetch(world))


def health_cmd(world, date, steps):
    return commit_cmd(*receive(health_file(world, date, steps)))


@pytest.fixture(scope="session")
def seeded_remote(tmp_path_factory):
    """A bare 'remote' holding a first fetch, made once a run: each test pushes to its own copy."""

    def make(root):
        remote, seed = root / "remote.git", root / "seed"
        subprocess.run(["git", "init", "--quiet", "--bare", "-b", "main", str(remote)], check=True)
        git(root, "clone", "--quiet", str(remote), str(seed))
        (seed / "README.md").write_text("data repo\n")
        with Emulator([writer_athlete()]) as emu:
            env = writer_env(emu.base_url)
            subprocess.run(
                [sys.executable, str(ROOT / "fetch_coros.py"), "--today", TODAY.isoformat()],
                cwd=seed,
                env=env,
                check=True,
                capture_output=True,
            )
        subprocess.run(["git", "add", "-A"], cwd=seed, check=True)
        subprocess.run(["git", "commit", "--quiet", "-m", "seed"], cwd=seed, env=env, check=True)
        subprocess.run(["git", "push", "--quiet", "origin", "HEAD:main"], cwd=seed, check=True)

    return made_once(tmp_path_factory, "seeded-remote", make) / "remote.git"


def writer_athlete():
    return synthetic_athlete(years=1, seed=11, today=TODAY)


@pytest.fixture
def world(tmp_path, seeded_remote):
    """A copy of the seeded remote, and an emulator to fetch from."""
    athlete = writer_athlete()
    with Emulator([athlete]) as emu:
        remote = tmp_path / "remote.git"
        shutil.copytree(seeded_remote, remote)
        env = writer_env(emu.base_url)
        yield {"tmp": tmp_path, "remote": remote, "emu": emu, "athlete": athlete, "env": env}


def clone(world, name):
    path = world["tmp"] / name
    git(world["tmp"], "clone", "--quiet", str(world["remote"]), str(path))
    return path


def health_file(world, date, steps):
    path = world["tmp"] / f"payload-{date}-{steps}.json"
    event = {
        "action": "health-data",
        "client_payload": {"days": [{"date": date, "steps": steps, "hrv_ms": 50}]},
    }
    path.write_text(json.dumps(event))
    return path


def run(world, repo, command, **env):
    return subprocess.run(
        command, cwd=repo, env={**world["env"], **env}, capture_output=True, text=True
    )


def compete_before_push(world, writer, rival_command):
    """Make the writer's first push lose: its pre-push hook first pushes what `rival_command`
    merged."""
    rival = clone(world, f"rival-of-{writer.name}")
    result = run(world, rival, rival_command)
    assert result.returncode == 0, result.stderr
    git(rival, "add", "-A")
    subprocess.run(
        ["git", "commit", "--quiet", "-m", "data: rival"], cwd=rival, env=world["env"], check=True
    )
    hook = writer / ".git" / "hooks" / "pre-push"
    hook.write_text(f"""#!/bin/sh
marker="{world["tmp"]}/raced-{writer.name}"
[ -e "$marker" ] && exit 0
touch "$marker"
exec git --git-dir="{rival}/.git" push --quiet "{world["remote"]}" HEAD:main
""")
    hook.chmod(0o755)


def final_state(world):
    check = clone(world, "check")
    activities = json.loads((check / "data" / "activities.json").read_text())["activities"]
    health = json.loads((check / "data" / "health.json").read_text())["days"]
    log = git(check, "log", "--format=%s").splitlines()
    git(check, "fsck", "--strict")
    return {a["id"] for a in activities}, {d["date"]: d for d in health}, log


@pytest.mark.parametrize("writer_kind", ["fetch", "health"])
def test_a_writer_that_loses_the_race_re_merges_and_loses_nothing(world, writer_kind):
    new = world["athlete"].add_activities(2, name="Raced run")
    day = (TODAY - dt.timedelta(days=3)).isoformat()
    writer = clone(world, "writer")
    # the rival is the other kind of writer, so both changes must survive
    if writer_kind == "fetch":
        compete_before_push(world, writer, receive(health_file(world, day, 4321)))
        result = run(world, writer, fetch_cmd(world))
    else:
        compete_before_push(world, writer, fetch(world))
        result = run(world, writer, health_cmd(world, day, 4321))
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("push rejected") == 1 and "(attempt 2)" in result.stdout
    assert "[remote rejected] HEAD -> main" in result.stderr  # git's own reason is shown
    ids, health, log = final_state(world)
    assert {a["labelId"] for a in new} <= ids
    assert health[day]["steps"] == 4321
    assert log[-1] == "seed" and len(log) == 3 and all(m.startswith("data: ") for m in log[:-1])


def test_two_health_pushes_for_the_same_day_keep_both_fields(world):
    day = (TODAY - dt.timedelta(days=1)).isoformat()
    writer = clone(world, "writer")
    rival_file = world["tmp"] / "rival.json"
    rival_file.write_text(json.dumps({"days": [{"date": day, "resting_hr": 48}]}))
    compete_before_push(world, writer, receive(rival_file))
    assert run(world, writer, health_cmd(world, day, 777)).returncode == 0
    _, health, _ = final_state(world)
    assert health[day]["resting_hr"] == 48 and health[day]["steps"] == 777


def test_a_second_commit_step_in_the_same_working_copy_is_refused(world):
    repo = clone(world, "shared")
    gate = world["tmp"] / "gate"
    started = world["tmp"] / "started"
    blocker = world["tmp"] / "slow_merge.py"
    blocker.write_text(
        "import pathlib, sys, time\n"
        f"pathlib.Path({str(started)!r}).touch()\n"
        f"while not pathlib.Path({str(gate)!r}).exists(): time.sleep(0.02)\n"
        "sys.exit(__import__('subprocess').call([sys.executable, "
        f"{str(ROOT / 'receive_health_data.py')!r}, "
        f"{str(health_file(world, '2026-11-01', 11))!r}]))\n"
    )
    first = subprocess.Popen(
        commit_cmd(sys.executable, str(blocker)),
        cwd=repo,
        env=world["env"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not started.exists():
            assert first.poll() is None and time.monotonic() < deadline, first.communicate()
            time.sleep(0.02)
        second = run(world, repo, health_cmd(world, "2026-11-02", 22))
        assert second.returncode == 1
        assert "another commit step is running in this working copy" in second.stderr
        assert "Traceback" not in second.stderr
    finally:
        gate.touch()
        out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    _, health, _ = final_state(world)
    assert "2026-11-01" in health and "2026-11-02" not in health  # the refused one wrote nothing


def test_message_says_what_changed_and_unchanged_data_makes_no_commit(world):
    repo = clone(world, "one")
    world["athlete"].add_activities(2)
    world["athlete"].advance(3)
    out = run(world, repo, fetch_cmd(world))
    assert out.returncode == 0, out.stderr
    message = git(repo, "log", "-1", "--format=%s").strip()
    assert message.startswith("data: +") and "activities" in message and "+3 COROS days" in message
    again = run(world, repo, fetch_cmd(world))
    assert "nothing to commit" in again.stdout
    assert git(repo, "log", "-1", "--format=%s").strip() == message


def test_a_failing_command_commits_nothing_and_says_why(world):
    repo = clone(world, "bad")
    head = git(world["tmp"], "--git-dir", str(world["remote"]), "rev-parse", "main")
    bad = world["tmp"] / "bad.json"
    bad.write_text('{"days": [{"date": "2026-01-01", "resting_hr": 999}]}')
    out = run(world, repo, commit_cmd(*receive(bad)))
    assert (
        out.returncode == 1
        and "resting_hr 999 is outside" in out.stderr
        and "nothing committed" in out.stderr
    )
    assert git(world["tmp"], "--git-dir", str(world["remote"]), "rev-parse", "main") == head
    assert not git(repo, "status", "--porcelain")


def test_refuses_a_dirty_checkout(world):
    repo = clone(world, "dirty")
    (repo / "README.md").write_text("local edit\n")
    out = run(world, repo, fetch_cmd(world))
    assert out.returncode == 1 and "uncommitted changes" in out.stderr
    assert (repo / "README.md").read_text() == "local edit\n"


def test_gives_up_after_bounded_attempts_with_gits_reason(world):
    repo = clone(world, "stuck")
    hook = world["remote"] / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho rejected >&2\nexit 1\n")
    hook.chmod(0o755)
    out = run(world, repo, health_cmd(world, "2026-11-01", 5), COMMIT_ATTEMPTS="3")
    assert out.returncode == 1 and out.stderr.count("push rejected") == 2
    assert (
        "rejected 3 times, last: ! [remote rejected] HEAD -> main (pre-receive hook declined)"
        in out.stderr
    )
    assert "['" not in out.stderr  # no Python list


def test_a_push_that_fails_for_another_reason_is_not_retried(world):
    repo = clone(world, "gone")
    git(repo, "remote", "set-url", "origin", str(world["tmp"] / "no-such-remote.git"))
    out = run(world, repo, health_cmd(world, "2026-11-01", 5))
    assert out.returncode == 1 and "push rejected" not in out.stderr
    assert out.stderr.count("\n") == 1 and "git fetch failed: fatal:" in out.stderr
