import json

import pytest

from coros_dashboard.errors import DashboardError
from coros_dashboard.store.storage import dumps_json, parse_json, read_json_file, save_json_files


def test_text_is_sorted_indented_and_ends_with_a_newline():
    assert dumps_json({"b": 1, "a": "é"}) == '{\n  "a": "é",\n  "b": 1\n}\n'


def test_a_failure_while_preparing_any_file_leaves_all_untouched(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text("old a\n")
    b.write_text("old b\n")
    with pytest.raises(TypeError):
        save_json_files({a: {"new": 1}, b: {"bad": object()}})
    with pytest.raises(DashboardError, match="refusing to write"):
        save_json_files({a: {"new": 1}, b: {"nan": float("nan")}})
    assert a.read_text() == "old a\n" and b.read_text() == "old b\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json"]


def test_unchanged_files_are_not_rewritten_and_undecodable_ones_are(tmp_path):
    path = tmp_path / "x.json"
    assert save_json_files({path: {"v": 1}}) == [path]
    assert save_json_files({path: {"v": 1}}) == []
    assert oct(path.stat().st_mode & 0o777) == "0o644"
    path.write_bytes(b"\xff\xfe not utf-8")
    assert save_json_files({path: {"v": 1}}) == [
        path
    ]  # a file the run overwrites need not be readable
    assert json.loads(path.read_text()) == {"v": 1}


@pytest.mark.parametrize(
    "text, reason",
    [
        ("{", "Expecting"),
        ('{"a": NaN}', "NaN"),
        ("[Infinity]", "Infinity"),
        ("[-Infinity]", "Infinity"),
        ("[" * 200_000 + "]" * 200_000, "nested too deeply"),
        ("1" * 5000, "digits"),
    ],
)
def test_parse_refuses_what_is_not_strict_json(text, reason):
    with pytest.raises(ValueError, match=reason) as err:
        parse_json(text)
    assert len(str(err.value)) <= 100


def test_a_missing_file_differs_from_a_null_one(tmp_path):
    assert read_json_file(tmp_path / "none.json") is None
    (tmp_path / "null.json").write_text("null")
    assert read_json_file(tmp_path / "null.json").value is None
