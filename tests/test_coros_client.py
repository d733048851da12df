import hashlib

import pytest

from coros_dashboard.coros_client import CorosClient, config_from_env
from coros_dashboard.errors import DashboardError

ENV = {"COROS_EMAIL": "a@b.c", "COROS_PASSWORD": "pw"}


def test_password_is_hashed_and_never_in_the_repr():
    config = config_from_env(ENV)
    assert config.password_md5 == hashlib.md5(b"pw").hexdigest()
    assert "pw" not in repr(config) and config.password_md5 not in repr(config)


def test_region_picks_the_host_and_api_base_overrides_it():
    assert CorosClient(config_from_env(ENV | {"COROS_REGION": "EU"})).base_url == "https://teameuapi.coros.com"
    assert CorosClient(config_from_env(ENV)).base_url == "https://teamapi.coros.com"
    base = config_from_env(ENV | {"COROS_API_BASE": "http://127.0.0.1:8000/", "COROS_REGION": "cn"})
    assert CorosClient(base).base_url == "http://127.0.0.1:8000"


def test_tls_verification_is_on():
    assert CorosClient(config_from_env(ENV)).session.verify is True


def test_md5_form_is_accepted_and_checked():
    digest = hashlib.md5(b"pw").hexdigest()
    assert config_from_env({"COROS_EMAIL": "a", "COROS_PASSWORD_MD5": digest.upper()}).password_md5 == digest
    with pytest.raises(DashboardError, match="32 hex"):
        config_from_env({"COROS_EMAIL": "a", "COROS_PASSWORD_MD5": "zz"})
    with pytest.raises(DashboardError, match="COROS_TIMEOUT"):
        config_from_env(ENV | {"COROS_TIMEOUT": "soon"})


@pytest.mark.parametrize("url, ok", [
    ("https://teamapi.coros.com", True), ("http://127.0.0.1:8765", True), ("http://localhost:8000", True),
    ("http://localhost.evil.example", False), ("http://127.0.0.1.evil.example", False),
    ("http://example.com", False), ("ftp://127.0.0.1", False), ("https://", False),
])
def test_plain_http_only_to_this_machine(url, ok):
    from coros_dashboard.coros_client import is_allowed_base
    assert is_allowed_base(url) is ok
    if not ok:
        with pytest.raises(DashboardError, match="https://"):
            config_from_env(ENV | {"COROS_API_BASE": url})
