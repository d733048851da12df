import hashlib

import pytest

from coros_dashboard.coros.client import CorosClient, config_from_env
from coros_dashboard.errors import DashboardError

ENV = {"COROS_EMAIL": "a@b.c", "COROS_PASSWORD": "pw"}


def test_password_is_hashed_and_never_in_the_repr():
    config = config_from_env(ENV)
    assert config.password_md5 == hashlib.md5(b"pw").hexdigest()
    assert "pw" not in repr(config) and config.password_md5 not in repr(config)


def test_region_picks_the_host_and_api_base_overrides_it():
    assert (
        CorosClient(config_from_env(ENV | {"COROS_REGION": "EU"})).base_url
        == "https://teameuapi.coros.com"
    )
    assert CorosClient(config_from_env(ENV)).base_url == "https://teamapi.coros.com"
    base = config_from_env(ENV | {"COROS_API_BASE": "http://127.0.0.1:8000/", "COROS_REGION": "cn"})
    assert CorosClient(base).base_url == "http://127.0.0.1:8000"


def test_tls_verification_is_on():
    assert CorosClient(config_from_env(ENV)).session.verify is True


def test_md5_form_is_accepted_and_checked():
    digest = hashlib.md5(b"pw").hexdigest()
    assert (
        config_from_env({"COROS_EMAIL": "a", "COROS_PASSWORD_MD5": digest.upper()}).password_md5
        == digest
    )
    with pytest.raises(DashboardError, match="32 hex"):
        config_from_env({"COROS_EMAIL": "a", "COROS_PASSWORD_MD5": "zz"})
    with pytest.raises(DashboardError, match="COROS_TIMEOUT"):
        config_from_env(ENV | {"COROS_TIMEOUT": "soon"})


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://teamapi.coros.com", True),
        ("http://127.0.0.1:8765", True),
        ("http://localhost:8000", True),
        ("http://localhost.evil.example", False),
        ("http://127.0.0.1.evil.example", False),
        ("http://example.com", False),
        ("ftp://127.0.0.1", False),
        ("https://", False),
    ],
)
def test_plain_http_only_to_this_machine(url, ok):
    from coros_dashboard.coros.client import is_allowed_base

    assert is_allowed_base(url) is ok
    if not ok:
        with pytest.raises(DashboardError, match="https://"):
            config_from_env(ENV | {"COROS_API_BASE": url})


class FakeResponse:
    def __init__(self, retry_after=None):
        self.headers = {"Retry-After": retry_after} if retry_after is not None else {}


def bounded_retry(budget_s=10.0, max_wait=60.0, backoff=0.0):
    from coros_dashboard.coros.client import BoundedRetry, RetryBudget

    slept = []
    retry = BoundedRetry(total=3, backoff_factor=backoff, retry_after_max=10**9)
    retry.max_wait, retry.budget = max_wait, RetryBudget(budget_s, sleep=slept.append)
    return retry, slept


def test_retry_waits_are_capped_one_by_one_and_in_total():
    from coros_dashboard.coros.client import RetryWaitTooLong

    retry, slept = bounded_retry(budget_s=10)
    retry.sleep(FakeResponse("4"))
    retry.new().sleep(FakeResponse("5"))  # copies share the run's budget
    assert slept == [4, 5]
    with pytest.raises(RetryWaitTooLong) as err:
        retry.sleep(FakeResponse("2"))  # 9 of 10 s spent
    assert err.value.args == ("budget",) and slept == [4, 5]
    with pytest.raises(RetryWaitTooLong) as err:
        bounded_retry()[0].sleep(FakeResponse("100000"))
    assert err.value.args == ("single",) and err.value.seconds == 100000


def test_an_unreadable_retry_after_uses_the_backoff():
    retry, slept = bounded_retry(backoff=0.5)
    retry = retry.increment(method="GET", url="/x")
    retry = retry.increment(method="GET", url="/x")
    retry.sleep(FakeResponse("soon-ish"))
    assert slept == [pytest.approx(1.0)]


def test_dashboard_summary_reads_the_latest_night_from_the_top_level():
    from coros_dashboard.coros.client import DASHBOARD

    class Client(CorosClient):
        def get(self, path, params=None):
            assert path == DASHBOARD
            return {
                "summaryInfo": {
                    "sleepHrvData": {
                        "sleepHrvList": [{"happenDay": 20260210, "avgSleepHrv": 60}],
                        "happenDay": 20260211,
                        "avgSleepHrv": 64,
                        "sleepHrvBase": 58,
                    }
                }
            }

    summary = Client(config_from_env(ENV)).fetch_dashboard_summary()
    assert summary["sleepHrvData"]["sleepHrvList"] == [
        {"happenDay": 20260210, "avgSleepHrv": 60},
        {"happenDay": 20260211, "avgSleepHrv": 64, "sleepHrvBase": 58},
    ]
    assert summary["runScoreList"] == []
