"""Shared test fixtures: a live COROS emulator and a way to run the real CLIs as subprocesses."""

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coros_dashboard.emulator import Emulator, seed_athlete, synthetic_athlete

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)
DEMO_EMAIL, DEMO_PASSWORD = "demo@example.com", "demo-password"


def run_script(script: str, *args, env=None, input=None, cwd=None) -> subprocess.CompletedProcess:
    """Run one of the top-level commands with a clean environment (no COROS_* of the developer)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("COROS_", "DATA_DIR", "SITE_DIR",
                                                                       "GITHUB_", "SOURCE_DATE"))}
    base["PYTHONPATH"] = str(ROOT)
    base.update(env or {})
    return subprocess.run([sys.executable, str(ROOT / script), *map(str, args)], env=base, input=input,
                          capture_output=True, text=True, timeout=180, cwd=cwd or ROOT)


def run_in_process(script: str, *args, env=None) -> subprocess.CompletedProcess:
    """A top-level command's main() through the same run_cli as its process, without a new interpreter.

    For large tables of failure cases, where what matters is the one error line and the files,
    not the process boundary (which the subprocess tests cover).
    """
    import contextlib
    import importlib.util
    import io
    from unittest import mock

    from coros_dashboard.cli import run_cli

    spec = importlib.util.spec_from_file_location(Path(script).stem, ROOT / script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("COROS_", "DATA_DIR", "SITE_DIR", "GITHUB_",
                                                                       "SOURCE_DATE"))}
    out, err = io.StringIO(), io.StringIO()
    with mock.patch.dict(os.environ, {**base, **(env or {})}, clear=True), mock.patch.object(sys, "argv", [script]), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run_cli(module.main, list(map(str, args)))
    return subprocess.CompletedProcess([script, *args], code, out.getvalue(), err.getvalue())


def snapshot(directory: Path) -> dict:
    """Every file's bytes below `directory`, to prove a failed run changed nothing."""
    return {p.relative_to(directory): p.read_bytes() for p in sorted(Path(directory).rglob("*")) if p.is_file()}


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def demo_athlete():
    return synthetic_athlete(years=3, seed=7, today=TODAY)


def pytest_configure(config):
    """FIT files the emulator writes are shared by the parallel workers of one run (see emulator/details.py)."""
    folder = Path(os.environ.get("TMPDIR", "/tmp")) / f"coros-emulator-fit-{os.getuid()}"
    folder.mkdir(exist_ok=True)
    os.environ.setdefault("EMULATOR_FIT_CACHE", str(folder))


def made_once(tmp_path_factory, name: str, make) -> Path:
    """A directory `make(directory)` fills once per test run, shared read-only by the parallel
    workers (the first to need it makes it under a lock, the others wait for it)."""
    root = tmp_path_factory.getbasetemp()
    root = root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root
    directory, done = root / name, root / f"{name}.done"
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(directory, ignore_errors=True)
            make(directory)
            done.touch()
    return directory


@pytest.fixture(scope="session")
def first_sync(tmp_path_factory):
    """data/ after a first sync of `demo_athlete()`: what most fetch tests start from, fetched once."""
    def make(data_dir):
        with Emulator([demo_athlete()]) as emu:
            result = run_script("fetch_coros.py", "--data-dir", data_dir, "--today", TODAY, "--detail-budget", 0,
                                env={"COROS_API_BASE": emu.base_url, "COROS_EMAIL": DEMO_EMAIL,
                                     "COROS_PASSWORD": DEMO_PASSWORD})
        assert result.returncode == 0, result.stderr
    return made_once(tmp_path_factory, "first-sync", make)


@pytest.fixture
def emulator():
    """An emulator with a 3-year synthetic athlete and the recorded seed athlete."""
    athlete = demo_athlete()
    with Emulator([athlete, seed_athlete()]) as emu:
        emu.athlete = athlete
        yield emu


@pytest.fixture
def fetch(emulator, tmp_path, first_sync):
    """Run fetch_coros.py against the emulator into tmp_path/data; `fetch.seed()` stores a first sync."""
    data_dir = tmp_path / "data"

    def seed():
        shutil.copytree(first_sync, data_dir)

    def run(*args, email=DEMO_EMAIL, password=DEMO_PASSWORD, **env):
        return run_script("fetch_coros.py", "--data-dir", data_dir, "--today", emulator.athlete.today, *args, env={
            "COROS_API_BASE": emulator.base_url, "COROS_EMAIL": email, "COROS_PASSWORD": password,
            "COROS_TIMEOUT": "0.5", "COROS_BACKOFF": "0", "COROS_DETAIL_BUDGET": "0", **env})

    run.data_dir = data_dir
    run.seed = seed
    return run


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory):
    """The real pipeline on emulated data: fetch_coros.py and receive_health_data.py as subprocesses."""
    from coros_dashboard.emulator.health_payloads import health_payload

    def make(data_dir):
        athlete = synthetic_athlete(years=2, seed=3, today=TODAY)
        with Emulator([athlete]) as emu:
            result = run_script("fetch_coros.py", "--data-dir", data_dir, "--today", TODAY, "--detail-budget", 2,
                                env={"COROS_API_BASE": emu.base_url, "COROS_EMAIL": DEMO_EMAIL,
                                     "COROS_PASSWORD": DEMO_PASSWORD})
        assert result.returncode == 0, result.stderr
        payload = health_payload(TODAY - dt.timedelta(days=200), TODAY - dt.timedelta(days=8), seed=3)
        nights = health_payload(TODAY - dt.timedelta(days=7), TODAY, seed=4, segments=True)
        for body in (payload, nights):
            result = run_script("receive_health_data.py", "-", "--data-dir", data_dir, input=json.dumps(body))
            assert result.returncode == 0, result.stderr
    return made_once(tmp_path_factory, "pipeline", make)


def copy_data(data_dir: Path, target: Path, drop=(), edit=None) -> Path:
    """A copy of a data directory, without some files, optionally editing activities."""
    target.mkdir(parents=True, exist_ok=True)
    for path in Path(data_dir).glob("*.json"):
        if path.name not in drop:
            (target / path.name).write_bytes(path.read_bytes())
    if (Path(data_dir) / "details").exists() and "details" not in drop:
        shutil.copytree(Path(data_dir) / "details", target / "details")
    if edit:
        doc = json.loads((target / "activities.json").read_text())
        edit(doc["activities"])
        (target / "activities.json").write_text(json.dumps(doc))
    return target
