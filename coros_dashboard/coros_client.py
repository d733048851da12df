"""A small client for the unofficial COROS Training Hub web API.

Every call checks COROS's envelope (`result == "0000"`), logs in again once when the token is
refused (1019), retries transport failures with backoff, and never retries a credential failure
(1030), because repeated bad logins can lock the account.
"""

import hashlib
import ipaddress
import json
import os
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .errors import DashboardError

REGION_HOSTS = {
    "global": "https://teamapi.coros.com",
    "eu": "https://teameuapi.coros.com",
    "cn": "https://teamcnapi.coros.com",
}
REGION_BY_ID = {1: "global", 2: "cn", 3: "eu"}
CODE_BAD_CREDENTIALS = "1030"
CODE_TOKEN_INVALID = "1019"


class CorosApiError(DashboardError):
    """COROS answered, but with a result code other than 0000."""

    def __init__(self, path: str, code: str, message: str):
        self.code = code
        super().__init__(f"COROS answered {path} with code {code} ({message})")


@dataclass(frozen=True)
class CorosConfig:
    email: str
    password_md5: str
    base_url: str | None = None
    region: str | None = None
    timeout: float = 30.0
    retries: int = 3
    backoff: float = 0.5

    def __repr__(self) -> str:
        return f"CorosConfig(base_url={self.base_url!r}, region={self.region!r})"


def config_from_env(env=None) -> CorosConfig:
    """Read the COROS_* settings; missing or malformed ones are a one-line error."""
    env = os.environ if env is None else env
    email = env.get("COROS_EMAIL", "").strip()
    password = env.get("COROS_PASSWORD", "")
    password_md5 = env.get("COROS_PASSWORD_MD5", "").strip().lower()
    if not email or not (password or password_md5):
        raise DashboardError(
            "COROS_EMAIL and COROS_PASSWORD (or COROS_PASSWORD_MD5) must be set; "
            "in GitHub add them as repository secrets"
        )
    if password:
        password_md5 = hashlib.md5(password.encode("utf-8")).hexdigest()
    elif len(password_md5) != 32 or any(c not in "0123456789abcdef" for c in password_md5):
        raise DashboardError("COROS_PASSWORD_MD5 must be 32 hex digits (the MD5 of your password)")
    region = env.get("COROS_REGION", "").strip().lower() or None
    if region and region not in REGION_HOSTS:
        raise DashboardError(f"COROS_REGION must be one of {', '.join(REGION_HOSTS)}, not {region!r}")
    try:
        timeout = float(env.get("COROS_TIMEOUT") or 30)
    except ValueError:
        raise DashboardError("COROS_TIMEOUT must be a number of seconds") from None
    base_url = (env.get("COROS_API_BASE") or "").strip().rstrip("/") or None
    if base_url and not is_allowed_base(base_url):
        raise DashboardError("COROS_API_BASE must be an https:// URL (plain http only for localhost)")
    return CorosConfig(email, password_md5, base_url, region, timeout)


def is_allowed_base(url: str) -> bool:
    """https anywhere; plain http only to this machine (the emulator)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def build_session(retries: int, backoff: float) -> requests.Session:
    """A session that retries connection errors, timeouts, 429 and 5xx with exponential backoff."""
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        other=0,
        allowed_methods=None,
        status_forcelist=(429, 500, 502, 503, 504),
        backoff_factor=backoff,
        backoff_jitter=backoff / 2,
        backoff_max=30,
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    session = requests.Session()
    session.mount("https://", HTTPAdapter(max_retries=retry))
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.verify = True
    session.trust_env = True
    return session


class CorosClient:
    """Logged-in access to the Training Hub API; counts the HTTP requests it makes."""

    def __init__(self, config: CorosConfig, session: requests.Session | None = None):
        self.config = config
        self.session = session or build_session(config.retries, config.backoff)
        self.base_url = config.base_url or REGION_HOSTS[config.region or "global"]
        self.requests_made = 0
        self._token = None
        self._user_id = None

    def login(self) -> None:
        body = {"account": self.config.email, "accountType": 2, "pwd": self.config.password_md5}
        data = self._request("POST", "account/login", json_body=body, authed=False)
        if not isinstance(data, dict) or not data.get("accessToken"):
            raise DashboardError("COROS login answered without an access token; try again later")
        self._token = data["accessToken"]
        self._user_id = str(data.get("userId", ""))
        home = REGION_BY_ID.get(data.get("regionId"))
        if not self.config.base_url and not self.config.region and home:
            self.base_url = REGION_HOSTS[home]

    def get(self, path: str, params: dict | None = None):
        """GET an API path and return its `data`, logging in (again, once) when needed."""
        if self._token is None:
            self.login()
        for retry in (False, True):
            try:
                return self._request("GET", path, params=params)
            except CorosApiError as exc:
                if exc.code != CODE_TOKEN_INVALID:
                    raise
                if retry:
                    raise DashboardError(
                        "COROS refused a fresh access token (code 1019); if COROS_REGION is set, "
                        "check it names your account's region (global, eu or cn) or remove it"
                    ) from None
            self.login()

    def _request(self, method, path, params=None, json_body=None, authed=True):
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if authed:
            headers["accessToken"] = self._token
            headers["yfheader"] = json.dumps({"userId": self._user_id}, separators=(",", ":"))
        url = f"{self.base_url}/{path}"
        self.requests_made += 1
        try:
            response = self.session.request(
                method, url, params=params, json=json_body, headers=headers,
                timeout=(min(10.0, self.config.timeout), self.config.timeout),
            )
        except requests.exceptions.SSLError:
            raise DashboardError(
                f"TLS verification failed for {self.base_url}; check the system clock and CA "
                "certificates (verification is never turned off)"
            ) from None
        except requests.exceptions.RetryError:
            raise DashboardError(
                f"COROS kept failing on {path} after {self.config.retries + 1} tries; "
                "COROS may be down, try again later"
            ) from None
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
            what = "did not answer in time" if _is_timeout(exc) else "could not be reached"
            raise DashboardError(
                f"COROS ({self.base_url}) {what} on {path} after {self.config.retries + 1} tries; "
                "check the network or try again later"
            ) from None
        return self._unwrap(path, response)

    @staticmethod
    def _unwrap(path, response):
        if response.status_code >= 400:
            raise DashboardError(
                f"COROS answered HTTP {response.status_code} on {path} after retries; "
                "COROS may be down, try again later"
            )
        try:
            envelope = response.json()
        except ValueError:
            raise DashboardError(
                f"COROS answered {path} with something that is not JSON; "
                "the API may have changed or be failing, try again later"
            ) from None
        if not isinstance(envelope, dict) or "result" not in envelope:
            raise DashboardError(f"COROS answered {path} without its result envelope; the API may have changed")
        code = str(envelope.get("result"))
        if code == CODE_BAD_CREDENTIALS:
            raise DashboardError(
                "COROS rejected the email or password (code 1030); check COROS_EMAIL and "
                "COROS_PASSWORD (log in at t.coros.com to confirm them)"
            )
        if code != "0000":
            raise CorosApiError(path, code, str(envelope.get("message", "")))
        return envelope.get("data")


def _is_timeout(exc: Exception) -> bool:
    text = repr(exc)
    return isinstance(exc, requests.exceptions.Timeout) or "Timeout" in text or "timed out" in text
