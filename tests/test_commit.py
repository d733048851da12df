"""The commit step: concurrent fetch runs and health pushes against one remote lose nothing."""

import dataclasses
import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from conftest import DEMO_EMAIL, DEMO_PASSWORD, ROOT, TODAY

from coros_dashboard.emulator import Emulator, synthetic_athlete


def git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def writer_env(base_url, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COROS_", "GITHUB_", "DATA_DIR"))}
    env.update({"PYTHONPATH": str(ROOT), "COROS_API_BASE": base_url, "COROS_EMAIL": DEMO_EMAIL,
                "COROS_PASSWORD": DEMO_PASSWORD, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com", **extra})
    return env


def commit_cmd(*command):
    return [sys.executable, "-m", "coros_dashboard.commit", "--", sys.executable, *command]


@pytest.fixture
def world(tmp_path):
    """A bare 'remote' seeded with a first fetch, and an emulator to fetch from."""
    athlete = synthetic_athlete(years=1, seed=11, today=TODAY)
    # COROS keeps one web session per account, so concurrent fetches of ONE account log each other
    # out (the workflows' concurrency group prevents that in production). The fetch writers use
    # logins of their own onto the same shared history, so what is tested here is the commit path.
    logins = [dataclasses.replace(athlete, email=f"writer{i}@example.com") for i in range(20)]
    with Emulator([athlete, *logins]) as emu:
        remote = tmp_path / "remote.git"
        subprocess.run(["git", "init", "--quiet", "--bare", "-b", "main", str(remote)], check=True)
        seed = tmp_path / "seed"
        git(tmp_path, "clone", "--quiet", str(remote), str(seed))
        (seed / "README.md").write_text("data repo\n")
        env = writer_env(emu.base_url)
        subprocess.run([sys.executable, str(ROOT / "fetch_coros.py")], cwd=seed, env=env, check=True,
                       capture_output=True)
        subprocess.run(["git", "add", "-A"], cwd=seed, check=True)
        subprocess.run(["git", "commit", "--quiet", "-m", "seed"], cwd=seed, env=env, check=True)
        subprocess.run(["git", "push", "--quiet", "origin", "HEAD:main"], cwd=seed, check=True)
        yield {"tmp": tmp_path, "remote": remote, "emu": emu, "athlete": athlete}


def clone(world, name):
    path = world["tmp"] / name
    git(world["tmp"], "clone", "--quiet", str(world["remote"]), str(path))
    return path


def health_file(world, date, steps):
    path = world["tmp"] / f"payload-{date}.json"
    event = {"action": "health-data", "client_payload": {"days": [{"date": date, "steps": steps, "hrv_ms": 50}]}}
    path.write_text(json.dumps(event))
    return path


def final_state(world):
    check = clone(world, "check")
    activities = json.loads((check / "data" / "activities.json").read_text())["activities"]
    health = json.loads((check / "data" / "health.json").read_text())["days"]
    log = git(check, "log", "--format=%s").splitlines()
    git(check, "fsck", "--strict")
    return {a["id"] for a in activities}, {d["date"]: d for d in health}, log


def test_twenty_concurrent_writers_lose_nothing(world):
    new = world["athlete"].add_activities(10, name="Concurrent run")
    dates = [(TODAY - dt.timedelta(days=2 * i)).isoformat() for i in range(10)]  # interleaved with stored days
    procs = []
    env = writer_env(world["emu"].base_url, COMMIT_ATTEMPTS="40", COMMIT_BACKOFF="0.1")
    for i in range(20):
        repo = clone(world, f"writer{i}")
        if i % 2:
            command = commit_cmd(str(ROOT / "receive_health_data.py"), str(health_file(world, dates[i // 2], 1000 + i)))
        else:
            command = commit_cmd(str(ROOT / "fetch_coros.py"))
        env["COROS_EMAIL"] = f"writer{i}@example.com"
        procs.append(subprocess.Popen(command, cwd=repo, env=dict(env), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True))
    results = [(p.wait(timeout=600), *p.communicate()) for p in procs]
    for code, out, err in results:
        assert code == 0, out + err
    rejected = sum(err.count("push rejected") for _, _, err in results)
    ids, health, log = final_state(world)
    assert {a["labelId"] for a in new} <= ids
    assert set(dates) <= set(health)
    assert {health[d]["steps"] for d in dates} == {1000 + i for i in range(1, 20, 2)}
    assert log[-1] == "seed" and all(m.startswith("data: ") for m in log[:-1])
    assert any("+10 activities" in m for m in log) and sum("+1 health day" in m for m in log) == 10
    assert rejected > 0  # the writers really did collide


def test_message_says_what_changed_and_unchanged_data_makes_no_commit(world):
    repo = clone(world, "one")
    env = writer_env(world["emu"].base_url)
    world["athlete"].add_activities(2)
    world["athlete"].advance(3)
    out = subprocess.run(commit_cmd(str(ROOT / "fetch_coros.py")), cwd=repo, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    message = git(repo, "log", "-1", "--format=%s").strip()
    assert message.startswith("data: +") and "activities" in message and "+3 COROS days" in message
    again = subprocess.run(commit_cmd(str(ROOT / "fetch_coros.py")), cwd=repo, env=env, capture_output=True,
                           text=True)
    assert "nothing to commit" in again.stdout
    assert git(repo, "log", "-1", "--format=%s").strip() == message


def test_a_failing_command_commits_nothing_and_says_why(world):
    repo = clone(world, "bad")
    head = git(world["tmp"], "--git-dir", str(world["remote"]), "rev-parse", "main")
    bad = world["tmp"] / "bad.json"
    bad.write_text('{"days": [{"date": "2026-01-01", "resting_hr": 999}]}')
    out = subprocess.run(commit_cmd(str(ROOT / "receive_health_data.py"), str(bad)), cwd=repo,
                         env=writer_env(world["emu"].base_url), capture_output=True, text=True)
    assert out.returncode == 1 and "resting_hr 999 is outside" in out.stderr and "nothing committed" in out.stderr
    assert git(world["tmp"], "--git-dir", str(world["remote"]), "rev-parse", "main") == head
    assert not git(repo, "status", "--porcelain")


def test_refuses_a_dirty_checkout(world):
    repo = clone(world, "dirty")
    (repo / "README.md").write_text("local edit\n")
    out = subprocess.run(commit_cmd(str(ROOT / "fetch_coros.py")), cwd=repo, env=writer_env(world["emu"].base_url),
                         capture_output=True, text=True)
    assert out.returncode == 1 and "uncommitted changes" in out.stderr
    assert (repo / "README.md").read_text() == "local edit\n"


def test_gives_up_after_bounded_attempts(world, tmp_path):
    repo = clone(world, "stuck")
    hook = world["remote"] / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho rejected >&2\nexit 1\n")
    hook.chmod(0o755)
    bad = health_file(world, "2026-11-01", 5)
    out = subprocess.run(commit_cmd(str(ROOT / "receive_health_data.py"), str(bad)), cwd=repo,
                         env=writer_env(world["emu"].base_url, COMMIT_ATTEMPTS="3", COMMIT_BACKOFF="0.01"),
                         capture_output=True, text=True)
    assert out.returncode == 1 and out.stderr.count("push rejected") == 2
    assert "rejected 3 times" in out.stderr
