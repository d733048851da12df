"""The GitHub Actions workflows: linted, least-privileged, and running only commands the tests
exercise."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support import ROOT, run_script

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
# every `run:` in a workflow, and the test that exercises it
EXERCISED = {
    "python -m pip install -r requirements.txt": "make install (every fresh clone)",
    "python -m coros_dashboard.store.commit -- python fetch_coros.py": "test_commit.py",
    "python -m coros_dashboard.store.commit -- python receive_health_data.py": "test_commit.py",
    "npm install --no-audit --no-fund --no-package-lock": "make install",
    "python build_site.py --site-dir site": "test_build_site.py",
    "make test": ".ci/run",
}


def load(path):
    return yaml.safe_load(path.read_text())


def steps(workflow):
    for job in workflow["jobs"].values():
        yield from job.get("steps", [])


def test_zizmor_finds_nothing():
    result = subprocess.run(
        [BIN / "zizmor", "--offline", "--config", ROOT / ".github" / "zizmor.yml", *WORKFLOWS],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_match_the_github_schema():
    result = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *WORKFLOWS],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_shell_scripts_pass_shellcheck():
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    files = [ROOT / name for name in tracked.decode().split("\0") if name]
    scripts = [
        p
        for p in files
        if p.is_file()
        and (p.suffix == ".sh" or p.read_bytes()[:32].startswith(b"#!/usr/bin/env bash"))
    ]
    assert ROOT / ".ci" / "run" in scripts
    result = subprocess.run([BIN / "shellcheck", *scripts], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_run_step_is_a_command_the_tests_exercise(path):
    for step in steps(load(path)):
        if "run" in step:
            assert step["run"].strip() in EXERCISED, step["run"]
            assert "${{" not in step["run"]  # nothing interpolated into a shell command


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege(path):
    workflow = load(path)
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        perms = job.get("permissions")
        assert perms is not None, f"{path.name}:{name} sets no permissions"
        if perms.get("contents") == "write":
            assert path.name in ("fetch.yml", "health.yml")
        if "pages" in perms or "id-token" in perms:
            assert path.name == "deploy.yml" or "uses" in job


def test_secrets_only_in_the_step_that_uses_them():
    text = (ROOT / ".github" / "workflows" / "fetch.yml").read_text()
    workflow = load(ROOT / ".github" / "workflows" / "fetch.yml")
    with_secrets = [s for s in steps(workflow) if "secrets." in str(s)]
    assert len(with_secrets) == 1 and "fetch_coros.py" in with_secrets[0]["run"]
    assert text.count("secrets.") == 6  # the fetch step's five, PRIVACY_ZONES for the deploy
    for path in WORKFLOWS:
        data_workflow = path.name in ("fetch.yml", "health.yml")
        for job in load(path)["jobs"].values():
            if "uses" in job:  # a called workflow gets the zones only
                assert job.get("secrets", {}) == {"PRIVACY_ZONES": "${{ secrets.PRIVACY_ZONES }}"}
        if path.name == "deploy.yml":
            build = [s for s in steps(load(path)) if "secrets." in str(s)]
            assert len(build) == 1 and build[0]["run"].startswith("python build_site.py")
            assert build[0]["env"] == {"PRIVACY_ZONES": "${{ secrets.PRIVACY_ZONES }}"}
        elif not data_workflow:
            assert "secrets." not in path.read_text()


def test_health_payload_never_reaches_an_expression():
    for path in WORKFLOWS:
        assert "client_payload" not in path.read_text().replace("# ", "")
        assert "inputs.payload" not in path.read_text()


def test_triggers_and_deploy_wiring():
    fetch = load(ROOT / ".github/workflows/fetch.yml")
    health = load(ROOT / ".github/workflows/health.yml")
    deploy = load(ROOT / ".github/workflows/deploy.yml")
    assert (
        fetch[True]["schedule"]
        and fetch[True]["workflow_dispatch"]["inputs"]["full"]["type"] == "boolean"
    )
    assert health[True]["repository_dispatch"]["types"] == ["health-data"]
    assert "payload" in health[True]["workflow_dispatch"]["inputs"]
    assert {"workflow_call", "workflow_dispatch", "push"} <= set(deploy[True])
    for workflow in (fetch, health):
        deploy_job = workflow["jobs"]["deploy"]
        assert (
            deploy_job["uses"] == "./.github/workflows/deploy.yml"
            and "changed == 'true'" in deploy_job["if"]
        )
    assert deploy["jobs"]["publish"]["environment"]["name"] == "github-pages"


def test_no_pending_data_run_is_ever_cancelled_by_the_queue():
    fetch = load(ROOT / ".github/workflows/fetch.yml")["concurrency"]
    health = load(ROOT / ".github/workflows/health.yml")["concurrency"]
    for group in (fetch, health):
        assert group["queue"] == "max" and group["cancel-in-progress"] is False
    # fetches are serialised (one COROS web session per account); health pushes never wait on them
    assert fetch["group"].startswith("fetch-") and health["group"].startswith("health-")
    assert fetch["group"] != health["group"]


GUIDE = ROOT / "docs" / "ios-shortcut.md"


def guide_requests():
    """(URL, JSON body) of every curl example in the iOS guide."""
    import re

    text = GUIDE.read_text()
    found = re.findall(r"curl -X POST (\S+).*?<<'JSON'\n(.*?)\nJSON", text, flags=re.S)
    return [(url, json.loads(body)) for url, body in found]


def test_the_guide_leads_with_a_dispatch_of_this_workflow_and_its_real_inputs(tmp_path):
    health = load(ROOT / ".github/workflows/health.yml")
    (url, body), (alt_url, alt_body) = guide_requests()
    assert url.endswith("/actions/workflows/health.yml/dispatches") and alt_url.endswith(
        "/dispatches"
    )
    inputs = health[True]["workflow_dispatch"]["inputs"]
    assert body["ref"] == "main" and set(body["inputs"]) <= set(inputs)
    assert {name for name, spec in inputs.items() if spec.get("required")} <= set(body["inputs"])
    assert all(isinstance(v, str) for v in body["inputs"].values())  # dispatch inputs are strings
    assert alt_body["event_type"] in health[True]["repository_dispatch"]["types"]
    text = GUIDE.read_text()
    assert text.index("Actions: Read and write") < text.index("Contents: Read and write")
    # what GitHub would hand the workflow: both requests merge through the real receiver
    for event in (
        {"inputs": body["inputs"], "ref": "refs/heads/main"},
        {"action": "health-data", **alt_body},
    ):
        event_file = tmp_path / "event.json"
        event_file.write_text(json.dumps(event))
        result = run_script(
            "receive_health_data.py",
            "--data-dir",
            tmp_path / "data",
            env={"GITHUB_EVENT_PATH": str(event_file)},
        )
        assert result.returncode == 0, result.stderr


def test_the_guides_size_arithmetic_holds():
    import datetime as dt

    from coros_dashboard.emulator.shortcut_payloads import health_payload

    limit = 65_535

    def body(days):
        payload = health_payload(
            dt.date(2026, 11, 21) - dt.timedelta(days=days - 1),
            dt.date(2026, 11, 21),
            segments=True,
        )
        return json.dumps({"ref": "main", "inputs": {"payload": json.dumps(payload)}})

    assert 2_500 <= len(body(1)) <= 4_000  # "about 2.5–4 KB once quoted"
    assert len(body(14)) <= 55_000 < limit
    hae_day = [
        {
            "name": "resting_heart_rate",
            "units": "count/min",
            "data": [{"date": "2026-11-21 00:00:00 +0100", "qty": 52, "source": "Apple Watch"}],
        },
        {
            "name": "heart_rate_variability",
            "units": "ms",
            "data": [{"date": "2026-11-21 00:00:00 +0100", "qty": 48.63, "source": "Apple Watch"}],
        },
        {
            "name": "blood_oxygen_saturation",
            "units": "%",
            "data": [{"date": "2026-11-21 00:00:00 +0100", "qty": 96.8, "source": "Apple Watch"}],
        },
        {
            "name": "step_count",
            "units": "count",
            "data": [
                {
                    "date": "2026-11-21 00:00:00 +0100",
                    "qty": 11234,
                    "source": "Ana’s iPhone|Ana’s Apple Watch",
                }
            ],
        },
        {
            "name": "sleep_analysis",
            "units": "hr",
            "data": [
                {
                    "date": "2026-11-21 00:00:00 +0100",
                    "totalSleep": 6.85,
                    "asleep": 0,
                    "core": 3.7,
                    "deep": 1.05,
                    "rem": 1.6,
                    "awake": 0.3,
                    "inBed": 7.4,
                    "sleepStart": "2026-11-20 23:02:00 +0100",
                    "sleepEnd": "2026-11-21 06:24:00 +0100",
                    "inBedStart": "2026-11-20 22:55:00 +0100",
                    "inBedEnd": "2026-11-21 06:31:00 +0100",
                    "source": "Ana’s Apple Watch",
                }
            ],
        },
    ]
    per_day = len(json.dumps(hae_day))
    assert 800 <= per_day <= 1_300  # "about 1 KB"
    thirty = {"data": {"metrics": [{**m, "data": m["data"] * 30} for m in hae_day]}}
    assert len(json.dumps({"ref": "main", "inputs": {"payload": json.dumps(thirty)}})) < limit
