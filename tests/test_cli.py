import pytest

from coros_dashboard.cli import run_cli
from coros_dashboard.errors import DashboardError, quote


def test_an_expected_failure_is_one_error_line(capsys):
    def main(argv):
        raise DashboardError("what went wrong; what to do")

    assert run_cli(main, []) == 1
    assert capsys.readouterr().err.endswith("error: what went wrong; what to do\n")


def test_an_unexpected_failure_shows_its_type_and_place_but_never_its_message(capsys, monkeypatch):
    monkeypatch.delenv("COROS_DASHBOARD_DEBUG", raising=False)
    secret = "accessToken=0123456789abcdef"

    def main(argv):
        raise ValueError(f"Invalid header value {secret}")

    assert run_cli(main, []) == 1
    err = capsys.readouterr().err
    assert (
        err.count("\n") == 1
        and "unexpected ValueError at test_cli.py:" in err
        and "nothing was written" in err
    )
    assert secret not in err and "Traceback" not in err
    monkeypatch.setenv("COROS_DASHBOARD_DEBUG", "1")
    with pytest.raises(ValueError):
        run_cli(main, [])


def test_quotes_are_short_whatever_the_value():
    assert quote("abc") == "'abc'"
    assert len(quote("x" * 4_000_000)) <= 61 and quote("x" * 4_000_000).endswith("…")
    assert quote([1] * 1000).startswith("[1, 1") and len(quote([1] * 1000)) <= 61
