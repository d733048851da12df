"""Fixtures: a live COROS emulator, and data made once per run by the real pipeline (helpers
the tests import live in support.py)."""

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest
from support import (
    DEMO_EMAIL,
    DEMO_PASSWORD,
    TODAY,
    copy_data,
    demo_athlete,
    emulator_env,
    fetch_from,
    made_once,
    run_in_process,
    run_script,
)

from coros_dashboard.emulator import Emulator, seed_athlete, synthetic_athlete
from coros_dashboard.store.datafiles import RACES
from coros_dashboard.store.storage import save_json_files


def pytest_configure(config):
    """FIT files the emulator writes are shared by the parallel workers of one run (see
    emulator/details.py)."""
    folder = Path(os.environ.get("TMPDIR", "/tmp")) / f"coros-emulator-fit-{os.getuid()}"
    folder.mkdir(exist_ok=True)
    os.environ.setdefault("EMULATOR_FIT_CACHE", str(folder))


@pytest.fixture(scope="session")
def first_sync(tmp_path_factory):
    """data/ after a first sync of `demo_athlete()`: what most fetch tests start from, fetched
    once."""

    def make(data_dir):
        with Emulator([demo_athlete()]) as emu:
            result = fetch_from(emu, data_dir, budget=0)
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
    """Run fetch_coros.py against the emulator into tmp_path/data; `fetch.seed()` stores a first
    sync."""
    data_dir = tmp_path / "data"

    def seed():
        shutil.copytree(first_sync, data_dir)

    def run(*args, email=DEMO_EMAIL, password=DEMO_PASSWORD, **env):
        return run_in_process(
            "fetch_coros.py",
            "--data-dir",
            data_dir,
            "--today",
            emulator.athlete.today,
            *args,
            env=emulator_env(emulator, email, password, **env),
        )

    run.data_dir = data_dir
    run.seed = seed
    return run


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory):
    """The real pipeline on emulated data: fetch_coros.py and receive_health_data.py, through their
    main() (every test with a browser waits for this first; the commands' processes have their
    own tests)."""
    from coros_dashboard.emulator.shortcut_payloads import health_payload

    def make(data_dir):
        athlete = synthetic_athlete(years=2, seed=3, today=TODAY, race_season=True)
        with Emulator([athlete]) as emu:
            result = fetch_from(emu, data_dir, budget=2)
        assert result.returncode == 0, result.stderr
        # the races the owner lists by hand (README, "Race day"), as the demo writes them
        save_json_files({RACES.path(data_dir): RACES.document(athlete.races)})
        payload = health_payload(
            TODAY - dt.timedelta(days=200), TODAY - dt.timedelta(days=8), seed=3
        )
        nights = health_payload(TODAY - dt.timedelta(days=7), TODAY, seed=4, segments=True)
        for body in (payload, nights):
            result = run_in_process(
                "receive_health_data.py", "-", "--data-dir", data_dir, input=json.dumps(body)
            )
            assert result.returncode == 0, result.stderr

    return made_once(tmp_path_factory, "pipeline", make)


@pytest.fixture(scope="session")
def recent_data(demo_data, tmp_path_factory):
    """`demo_data`'s last twelve weeks: for the tests of one behaviour of the build, which two years
    of history only make slower (a build of them costs less than half)."""
    since = (TODAY - dt.timedelta(weeks=12)).isoformat()
    return made_once(tmp_path_factory, "recent", lambda d: copy_data(demo_data, d, since=since))


@pytest.fixture(scope="session")
def demo_site(demo_data, tmp_path_factory):
    """site/ built once from `demo_data` by build_site.py as a process; its stdout in build.out.

    For tests that only read the built site; a test that changes data or the build builds its own.
    """

    def make(root):
        result = run_script(
            "build_site.py",
            "--data-dir",
            demo_data,
            "--site-dir",
            root / "site",
            "--now",
            "2026-11-22T07:00:00+01:00",
        )
        assert result.returncode == 0, result.stderr
        (root / "build.out").write_text(result.stdout)

    return made_once(tmp_path_factory, "demo-site", make)


@pytest.fixture(scope="session")
def course_site(tmp_path_factory):
    """data/ and site/ of an athlete whose last 40 activities have details: runs on its regular
    courses (some the other way round, one an out-and-back) for the same-route tests."""

    def make(root):
        athlete = synthetic_athlete(years=1, seed=3, today=TODAY)
        with Emulator([athlete]) as emu:
            result = fetch_from(emu, root / "data", budget=40)
        assert result.returncode == 0, result.stderr
        result = run_in_process(
            "build_site.py",
            "--data-dir",
            root / "data",
            "--site-dir",
            root / "site",
            "--now",
            "2026-11-22T07:00:00+01:00",
        )
        assert result.returncode == 0, result.stderr

    return made_once(tmp_path_factory, "course-site", make)


@pytest.fixture(scope="session")
def year_sync(tmp_path_factory):
    """data/ after a first sync of a one-year athlete with a plan (fetched once per test run)."""

    def make(data_dir):
        with Emulator([synthetic_athlete(years=1, seed=5, today=TODAY)]) as emu:
            result = run_in_process(
                "fetch_coros.py", "--data-dir", data_dir, "--today", TODAY, env=emulator_env(emu)
            )
        assert result.returncode == 0, result.stderr

    return made_once(tmp_path_factory, "year-sync", make)


@pytest.fixture
def world(year_sync, tmp_path):
    """An emulator serving `year_sync`'s athlete, with `fetch(*args, **env)` into a copy of its
    data/ (`data_dir`)."""
    athlete = synthetic_athlete(years=1, seed=5, today=TODAY)
    data_dir = tmp_path / "data"
    shutil.copytree(year_sync, data_dir)
    with Emulator([athlete]) as emu:
        emu.athlete = athlete

        def fetch(*args, run=run_in_process, **env):
            return run(
                "fetch_coros.py",
                "--data-dir",
                data_dir,
                "--today",
                athlete.today,
                *args,
                env=emulator_env(emu, **env),
            )

        emu.fetch, emu.data_dir = fetch, data_dir
        yield emu
