"""Every environment variable, read in one place: garbage in any of them is one line and exit 1."""

import os
import subprocess
import sys

import pytest
from support import ROOT, clean_env, run_in_process

from coros_dashboard import settings
from coros_dashboard.errors import DashboardError

# a wrong value for each variable, and the command that reads it
GARBAGE = {
    "COROS_EMAIL": ("x" * 300, "fetch_coros.py"),
    "COROS_PASSWORD": (None, None),  # any text is a password: nothing to refuse
    "COROS_PASSWORD_MD5": ("not-hex", "fetch_coros.py"),
    "COROS_REGION": ("mars", "fetch_coros.py"),
    "COROS_API_BASE": ("http://192.0.2.1/", "fetch_coros.py"),
    "COROS_TIMEOUT": ("soon", "fetch_coros.py"),
    "COROS_BACKOFF": ("-1", "fetch_coros.py"),
    "COROS_FULL_SYNC": ("maybe", "fetch_coros.py"),
    "COROS_DETAIL_BUDGET": ("abc", "fetch_coros.py"),
    "COROS_DETAIL_DEADLINE": ("soon", "fetch_coros.py"),
    "COROS_REQUEST_DEADLINE": ("0", "fetch_coros.py"),
    "COROS_PLAN_DEADLINE": ("-5", "fetch_coros.py"),
    "GITHUB_STEP_SUMMARY": ("{dir}", "fetch_coros.py"),
    "GITHUB_ACTIONS": ("maybe", "fetch_coros.py"),
    "PRIVACY_ZONES": ("home", "fetch_coros.py"),
    "PRIVACY_TRIM_M": ("far", "fetch_coros.py"),
    "PRIVACY_SECRET": ("short", "fetch_coros.py"),
    "DATA_DIR": ("{file}", "build_site.py"),
    "COROS_DASHBOARD_DEBUG": ("perhaps", "build_site.py"),
    "SITE_DIR": ("{file}", "build_site.py"),
    "UNITS": ("furlongs", "build_site.py"),
    "DASHBOARD_TITLE": ("x" * 101, "build_site.py"),
    "SOURCE_DATE_EPOCH": ("yesterday", "build_site.py"),
    "GITHUB_REPOSITORY": ("not a repository", "build_site.py"),
    "GITHUB_SERVER_URL": ("ftp://example.com", "build_site.py"),
    "GITHUB_EVENT_PATH": ("{missing}", "receive_health_data.py"),
    "GITHUB_OUTPUT": ("{dir}", "commit"),
    "GITHUB_REF_NAME": ("--upload-pack=x", "commit"),
    "COMMIT_ATTEMPTS": ("x", "commit"),
    "COMMIT_BACKOFF": ("later", "commit"),
    "CHROMIUM_PATH": ("{missing}", None),
    "EMULATOR_FIT_CACHE": ("{file}", None),
}
COMMANDS = {
    "fetch_coros.py": ["fetch_coros.py"],
    "build_site.py": ["build_site.py"],
    "receive_health_data.py": ["receive_health_data.py"],
    "commit": ["coros_dashboard/store/commit.py", "--", "true"],
}


def test_every_setting_has_a_garbage_case():
    assert set(GARBAGE) == {s.name for s in settings.ALL}


def garbage(name: str, tmp_path) -> str:
    file = tmp_path / "a-file"
    file.write_text("x")
    return GARBAGE[name][0].format(file=file, dir=tmp_path, missing=tmp_path / "missing")


def garbage_env(name: str, tmp_path) -> dict:
    return {
        "COROS_EMAIL": "a@example.com",
        "COROS_PASSWORD": "pw",
        "DATA_DIR": str(tmp_path),
        name: garbage(name, tmp_path),
    }


def one_error_line(result, name: str) -> bool:
    return (
        result.returncode == 1
        and result.stderr.count("\n") == 1
        and f"error: {name} must be " in result.stderr
        and "unexpected" not in result.stderr
        and "Traceback" not in result.stderr
    )


@pytest.mark.parametrize("name", sorted(n for n, (_, command) in GARBAGE.items() if command))
def test_garbage_in_a_setting_is_one_line_naming_it(name, tmp_path):
    """Through the command's main() and run_cli, as its process runs it."""
    script, *args = COMMANDS[GARBAGE[name][1]]
    result = run_in_process(script, *args, env=garbage_env(name, tmp_path))
    assert one_error_line(result, name), result.stderr


@pytest.mark.parametrize("name", ["COROS_DETAIL_BUDGET", "COMMIT_ATTEMPTS"])
def test_garbage_stops_the_real_process_with_one_line(name, tmp_path):
    """The two cases that ended in "unexpected ValueError" before, as real processes."""
    command = {
        "fetch_coros.py": [str(ROOT / "fetch_coros.py")],
        "commit": ["-m", "coros_dashboard.store.commit", "--", "true"],
    }[GARBAGE[name][1]]
    result = subprocess.run(
        [sys.executable, *command],
        env=clean_env() | garbage_env(name, tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert one_error_line(result, name), result.stderr


@pytest.mark.parametrize("name", sorted(n for n, (value, _) in GARBAGE.items() if value))
def test_every_setting_refuses_its_garbage_in_process(name, tmp_path):
    setting = next(s for s in settings.ALL if s.name == name)
    with pytest.raises(DashboardError, match=f"^{name} must be "):
        setting.read({name: garbage(name, tmp_path)})


def test_unset_or_empty_settings_take_their_defaults():
    for setting in settings.ALL:
        assert setting.read({}) == setting.default
        assert setting.read({setting.name: "  "}) == setting.default


def test_secrets_are_never_echoed():
    for name, value in (
        ("COROS_PASSWORD_MD5", "secret-value"),
        ("PRIVACY_ZONES", "secret-value"),
        ("COROS_API_BASE", "http://user:secret-value@192.0.2.1"),
    ):
        setting = next(s for s in settings.ALL if s.name == name)
        with pytest.raises(DashboardError) as err:
            setting.read({name: value})
        assert "secret-value" not in str(err.value)


def test_settings_are_read_nowhere_else():
    """One settings home: no other module of the package reads the environment."""
    reads = []
    for path in sorted((ROOT / "coros_dashboard").rglob("*.py")):
        if path.name == "settings.py":
            continue
        text = path.read_text()
        if "os.environ" in text or "os.getenv" in text:
            reads.append(path.relative_to(ROOT).as_posix())
    assert reads == ["coros_dashboard/demo.py", "coros_dashboard/store/commit.py"], reads


def test_values_are_parsed_with_their_types():
    env = {
        "COROS_TIMEOUT": "2.5",
        "COROS_DETAIL_BUDGET": "0",
        "COROS_FULL_SYNC": "true",
        "UNITS": "Imperial",
    }
    assert settings.COROS_TIMEOUT.read(env) == 2.5
    assert settings.COROS_DETAIL_BUDGET.read(env) == 0
    assert settings.COROS_FULL_SYNC.read(env) is True
    assert settings.UNITS.read(env) == "imperial"
    assert os.fspath(settings.DATA_DIR.read({})) == "data"


def test_the_readme_lists_every_setting():
    readme = (ROOT / "README.md").read_text()
    assert [s.name for s in settings.ALL if f"`{s.name}`" not in readme] == []


@pytest.mark.parametrize(
    "env, args, name",
    [
        ({"COROS_PASSWORD": "pass\udcffword"}, [], "COROS_PASSWORD"),
        ({"DATA_DIR": "d" * 100_000}, [], "DATA_DIR"),
        ({}, ["--data-dir", "x/" * 50_000], "--data-dir"),
    ],
    ids=["non-utf8-password", "long-data-dir", "long-data-dir-option"],
)
def test_a_secret_not_utf8_or_an_overlong_path_is_one_line(env, args, name, tmp_path):
    """A real process: the environment's bytes arrive as the system decodes them."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "fetch_coros.py"), *args],
        env=clean_env() | {"COROS_EMAIL": "a@example.com", "COROS_PASSWORD": "pw"} | env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert one_error_line(result, name), result.stderr
    assert "pass" not in result.stderr


def test_a_site_dir_overlong_is_one_line(tmp_path):
    result = run_in_process("build_site.py", "--data-dir", tmp_path, "--site-dir", "s" * 5000)
    assert one_error_line(result, "--site-dir"), result.stderr
