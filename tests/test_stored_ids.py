"""An id read from a data file names files: one that is a path is refused before anything is
written."""

import json

import pytest
from support import copy_data, run_in_process, snapshot


@pytest.mark.parametrize("bad", ["../../../x", "a/b", "..", "x y", ""])
def test_a_stored_activity_id_that_is_a_path_stops_build_and_fetch(demo_data, tmp_path, bad):
    def edit(activities):
        activities[-1]["id"] = bad

    data = copy_data(demo_data, tmp_path / "work" / "data", edit=edit)
    before = snapshot(tmp_path)
    build = run_in_process(
        "build_site.py", "--data-dir", data, "--site-dir", tmp_path / "work" / "site"
    )
    fetch = run_in_process(
        "fetch_coros.py",
        "--data-dir",
        data,
        env={
            "COROS_EMAIL": "a@example.com",
            "COROS_PASSWORD": "pw",
            "COROS_API_BASE": "http://127.0.0.1:9",
        },
    )
    for result in (build, fetch):
        assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
        assert "'id' must be an id of letters, digits" in result.stderr
    assert snapshot(tmp_path) == before  # no x.html or x.json anywhere
    assert json.loads((data / "activities.json").read_text())["activities"][-1]["id"] == bad
