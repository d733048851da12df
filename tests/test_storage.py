import json

import pytest

from coros_dashboard.errors import DashboardError
from coros_dashboard.storage import dumps_json, load_data_file, save_json_files


def test_text_is_sorted_indented_and_ends_with_a_newline():
    assert dumps_json({"b": 1, "a": "é"}) == '{\n  "a": "é",\n  "b": 1\n}\n'


def test_a_failure_while_preparing_any_file_leaves_all_untouched(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text("old a\n")
    b.write_text("old b\n")
    with pytest.raises(TypeError):
        save_json_files({a: {"new": 1}, b: {"bad": object()}})
    assert a.read_text() == "old a\n" and b.read_text() == "old b\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json"]


def test_unchanged_files_are_not_rewritten(tmp_path):
    path = tmp_path / "x.json"
    assert save_json_files({path: {"v": 1}}) == [path]
    assert save_json_files({path: {"v": 1}}) == []
    assert oct(path.stat().st_mode & 0o777) == "0o644"


@pytest.mark.parametrize("text, message", [
    ("{", "not valid JSON"),
    ('{"days": {}}', "has no 'days' list"),
    ('{"version": 2, "days": []}', "format version 2"),
])
def test_damaged_or_newer_files_are_clear_errors(tmp_path, text, message):
    path = tmp_path / "daily.json"
    path.write_text(text)
    with pytest.raises(DashboardError, match=message):
        load_data_file(path, "days")


def test_missing_file_is_empty(tmp_path):
    assert load_data_file(tmp_path / "none.json", "days") == []
    assert json.loads(dumps_json({"version": 1, "days": []}))["days"] == []
