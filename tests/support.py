"""What the tests share: running the real commands (as subprocesses or in-process), snapshots of
data directories, and data made once per test run."""

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from coros_dashboard.emulator import synthetic_athlete

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 22)
DEMO_EMAIL, DEMO_PASSWORD = "demo@example.com", "demo-password"


OWN_SETTINGS = (
    "COROS_",
    "DATA_DIR",
    "SITE_DIR",
    "GITHUB_",
    "SOURCE_DATE",
    "PRIVACY_",
    "UNITS",
    "DASHBOARD_TITLE",
    "COMMIT_",
)


def clean_env() -> dict:
    """This process's environment without any of the project's settings of the developer."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(OWN_SETTINGS)}
    base["PYTHONPATH"] = str(ROOT)
    return base


def run_script(script: str, *args, env=None, input=None, cwd=None) -> subprocess.CompletedProcess:
    """Run one of the top-level commands with a clean environment (no COROS_* of the developer)."""
    base = clean_env()
    base.update(env or {})
    return subprocess.run(
        [sys.executable, str(ROOT / script), *map(str, args)],
        env=base,
        input=input,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=cwd or ROOT,
    )


def run_in_process(script: str, *args, env=None, input=None) -> subprocess.CompletedProcess:
    """A top-level command's main() through the same run_cli as its process, without a new
    interpreter (~0.5 s of CPU each for fetch_coros.py, most of a short run's cost).

    For the integration tests where what matters is the output lines, the exit code and the files
    — the emulator is still reached over real HTTP — not the process boundary, which the
    run_script tests cover (a clean interpreter, no traceback on stderr, the workflows' calls).
    """
    import contextlib
    import importlib.util
    import io
    from unittest import mock

    from coros_dashboard.cli import run_cli

    spec = importlib.util.spec_from_file_location(Path(script).stem, ROOT / script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    base = clean_env()
    out, err = io.StringIO(), io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO((input or "").encode()), encoding="utf-8")
    with (
        mock.patch.dict(os.environ, {**base, **(env or {})}, clear=True),
        mock.patch.object(sys, "argv", [script]),
        mock.patch.object(sys, "stdin", stdin),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            code = run_cli(module.main, list(map(str, args)))
        except SystemExit as end:  # argparse's --help and usage errors, as the process would end
            code = end.code if isinstance(end.code, int) else 1
    return subprocess.CompletedProcess([script, *args], code, out.getvalue(), err.getvalue())


def snapshot(directory: Path) -> dict:
    """Every file's bytes below `directory`, to prove a failed run changed nothing."""
    return {
        p.relative_to(directory): p.read_bytes()
        for p in sorted(Path(directory).rglob("*"))
        if p.is_file()
    }


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def demo_athlete():
    return synthetic_athlete(years=3, seed=7, today=TODAY)


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


def copy_data(data_dir: Path, target: Path, drop=(), edit=None, since: str = "") -> Path:
    """A copy of a data directory, without some files, optionally editing activities; with
    `since`, only the records (and details) from that date on."""
    from coros_dashboard.store.datafiles import RECORD_FILES

    lists = {f.name: f.key for f in RECORD_FILES}
    target.mkdir(parents=True, exist_ok=True)
    for path in Path(data_dir).glob("*.json"):
        if path.name in drop:
            continue
        if since and (key := lists.get(path.name)):
            doc = json.loads(path.read_text())
            doc[key] = [r for r in doc[key] if r["date"] >= since]
            (target / path.name).write_text(json.dumps(doc))
        else:
            (target / path.name).write_bytes(path.read_bytes())
    if (Path(data_dir) / "details").exists() and "details" not in drop:
        shutil.copytree(Path(data_dir) / "details", target / "details")
        if since:  # the details of the activities kept
            activities = json.loads((target / "activities.json").read_text())["activities"]
            kept = {a["id"] for a in activities}
            for path in (target / "details").glob("*/*.json"):
                if path.stem not in kept:
                    path.unlink()
    if edit:
        doc = json.loads((target / "activities.json").read_text())
        edit(doc["activities"])
        (target / "activities.json").write_text(json.dumps(doc))
    return target


def emulator_env(emu, email=DEMO_EMAIL, password=DEMO_PASSWORD, **settings) -> dict:
    """The settings that point a command at `emu` with a login: a generous timeout, no back-off
    waits, no details unless a test asks; `settings` add or override."""
    return {
        "COROS_API_BASE": emu.base_url,
        "COROS_EMAIL": email,
        "COROS_PASSWORD": password,
        "COROS_TIMEOUT": "60",
        "COROS_BACKOFF": "0",
        "COROS_DETAIL_BUDGET": "0",
        **settings,
    }


def fetch_from(emu, data_dir, budget: int, *args, run=run_in_process, **env):
    """fetch_coros.py, the demo login, against `emu`; `env` adds settings."""
    return run(
        "fetch_coros.py",
        "--data-dir",
        data_dir,
        "--today",
        TODAY,
        "--detail-budget",
        budget,
        *args,
        env=emulator_env(emu, **env),
    )


def rows(recording) -> list[dict]:
    """A recording's samples as dicts, None where not measured: what a test reads most plainly."""
    from coros_dashboard.coros.fit import KEYS

    columns = [recording.column(key).tolist() for key in KEYS]
    return [
        {key: None if value != value else value for key, value in zip(KEYS, row, strict=True)}
        for row in zip(*columns, strict=True)
    ]
