"""The GitHub Actions workflows: linted, least-privileged, and running only commands the tests exercise."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
# every `run:` in a workflow, and the test that exercises it
EXERCISED = {
    "python -m pip install -r requirements.txt": "make install (every fresh clone)",
    "python -m coros_dashboard.commit -- python fetch_coros.py": "test_commit.py",
    "python -m coros_dashboard.commit -- python receive_health_data.py": "test_commit.py",
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
    result = subprocess.run([BIN / "zizmor", "--offline", "--config", ROOT / ".github" / "zizmor.yml",
                             *WORKFLOWS], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_match_the_github_schema():
    result = subprocess.run([BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *WORKFLOWS],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_shell_scripts_pass_shellcheck():
    scripts = [p for p in ROOT.rglob("*") if p.is_file() and ".venv" not in p.parts and "node_modules" not in p.parts
               and (p.suffix == ".sh" or p.read_bytes()[:32].startswith(b"#!/usr/bin/env bash"))]
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
    assert text.count("secrets.") == 3
    for path in WORKFLOWS:
        if path.name != "fetch.yml":
            assert "secrets." not in path.read_text()


def test_health_payload_never_reaches_an_expression():
    for path in WORKFLOWS:
        assert "client_payload" not in path.read_text().replace("# ", "")
        assert "inputs.payload" not in path.read_text()


def test_triggers_and_deploy_wiring():
    fetch = load(ROOT / ".github/workflows/fetch.yml")
    health = load(ROOT / ".github/workflows/health.yml")
    deploy = load(ROOT / ".github/workflows/deploy.yml")
    assert fetch[True]["schedule"] and fetch[True]["workflow_dispatch"]["inputs"]["full"]["type"] == "boolean"
    assert health[True]["repository_dispatch"]["types"] == ["health-data"]
    assert "payload" in health[True]["workflow_dispatch"]["inputs"]
    assert {"workflow_call", "workflow_dispatch", "push"} <= set(deploy[True])
    for workflow in (fetch, health):
        deploy_job = workflow["jobs"]["deploy"]
        assert deploy_job["uses"] == "./.github/workflows/deploy.yml" and "changed == 'true'" in deploy_job["if"]
    assert deploy["jobs"]["publish"]["environment"]["name"] == "github-pages"


def test_no_pending_data_run_is_ever_cancelled_by_the_queue():
    fetch = load(ROOT / ".github/workflows/fetch.yml")["concurrency"]
    health = load(ROOT / ".github/workflows/health.yml")["concurrency"]
    for group in (fetch, health):
        assert group["queue"] == "max" and group["cancel-in-progress"] is False
    # fetches are serialised (one COROS web session per account); health pushes never wait on them
    assert fetch["group"].startswith("fetch-") and health["group"].startswith("health-")
    assert fetch["group"] != health["group"]
