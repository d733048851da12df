"""A small client for the unofficial COROS Training Hub web API.

Every call checks COROS's envelope (`result == "0000"`), logs in again once when the token is
refused (1019), retries transport failures with backoff, and never retries a credential failure
(1030), because repeated bad logins can lock the account.
"""

import contextlib
import datetime as dt
import json
import math
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.exceptions import InvalidHeader
from urllib3.util.retry import Retry

from coros_dashboard import settings
from coros_dashboard.errors import DashboardError, quote
from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.store.datafiles import FIRST_DAY
from coros_dashboard.store.storage import parse_json

REGION_HOSTS = {
    "global": "https://teamapi.coros.com",
    "eu": "https://teameuapi.coros.com",
    "cn": "https://teamcnapi.coros.com",
}
REGION_BY_ID = {1: "global", 2: "cn", 3: "eu"}
CODE_BAD_CREDENTIALS = "1030"
CODE_TOKEN_INVALID = "1019"
MAX_BODY_BYTES = 20_000_000  # decoded; the largest real answer (a 100-item page) is ~100 KB
MAX_WAIT_S = 60.0  # a longer Retry-After fails at once instead of sleeping
RETRY_BUDGET_S = 300.0  # waiting between retries, all requests of one run together
REQUEST_DEADLINE_S = 120.0  # one answer, however slowly its body drips in
MAX_PAGES = 300  # 30,000 activities
PAGE_SIZE = 100
_TOKEN_RE = re.compile(r"[\x21-\x7e]{1,1024}")
_USER_ID_RE = re.compile(r"[0-9A-Za-z_-]{1,64}")

# the endpoints this client reads
LOGIN = "account/login"
ACCOUNT = "account/query"
ACTIVITY_LIST = "activity/query"
ANALYSIS = "analyse/query"
DAY_DETAIL = "analyse/dayDetail/query"
DASHBOARD = "dashboard/query"
DETAIL = "activity/detail/query"
DOWNLOAD = "activity/detail/download"
SCHEDULE = "training/schedule/query"  # read only: the project never calls training/schedule/update
FIT_FILE_TYPE = "4"
MAX_FIT_BYTES = 20_000_000


class CorosShapeError(DashboardError):
    """COROS answered, but not in the shape this client reads: the run stops and writes nothing."""

    def __init__(self, path: str, detail: str):
        self.detail = f"COROS answered {path} in an unexpected shape: {detail}"
        super().__init__(
            f"{self.detail}; nothing was written (the API may have changed: please report it)"
        )


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
    max_wait: float = MAX_WAIT_S
    retry_budget: float = RETRY_BUDGET_S
    request_deadline: float = REQUEST_DEADLINE_S

    def __repr__(self) -> str:
        return f"CorosConfig(base_url={self.base_url!r}, region={self.region!r})"


def config_from_env(env: Mapping[str, str] | None = None) -> CorosConfig:
    """The COROS_* settings (read in `settings`); missing or malformed ones are a one-line error."""
    login = settings.coros_login(env)
    return CorosConfig(
        login.email,
        login.password_md5,
        settings.COROS_API_BASE.read(env),
        settings.COROS_REGION.read(env),
        settings.COROS_TIMEOUT.read(env),
        backoff=settings.COROS_BACKOFF.read(env),
        request_deadline=settings.COROS_REQUEST_DEADLINE.read(env),
    )


def is_allowed_base(url: str) -> bool:
    """https anywhere; plain http only to this machine (the emulator)."""
    try:
        settings.api_base(url)
    except ValueError:
        return False
    return True


class RetryWaitTooLong(Exception):
    """A retry would wait longer than one wait or the run's budget allows."""

    def __init__(self, seconds: float, reason: str):
        self.seconds = seconds
        super().__init__(reason)


class RetryBudget:
    """Seconds of retry waiting left for a whole run, shared by every request of a client."""

    def __init__(self, seconds: float, sleep: Callable[[float], None] = time.sleep) -> None:
        self.left = seconds
        self.sleep = sleep

    def wait(self, seconds: float) -> None:
        if seconds > self.left:
            raise RetryWaitTooLong(seconds, "budget")
        self.left -= seconds
        if seconds > 0:
            self.sleep(seconds)


class BoundedRetry(Retry):
    """urllib3's Retry with every wait bounded: one wait by `max_wait`, all of them by a budget.

    A Retry-After that cannot be read falls back to the exponential backoff; one longer than
    `max_wait` fails at once rather than sleeping until the job is killed.
    """

    max_wait = MAX_WAIT_S
    budget = RetryBudget(RETRY_BUDGET_S)

    def new(self, **kw: Any) -> "BoundedRetry":
        retry = super().new(**kw)
        retry.max_wait, retry.budget = self.max_wait, self.budget
        return retry

    def parse_retry_after(self, retry_after: str) -> float:
        try:
            return super().parse_retry_after(retry_after)
        except (InvalidHeader, ValueError, OverflowError):
            return 0.0  # unreadable: the backoff below decides

    def sleep(self, response: Any = None) -> None:
        wait = (
            self.get_retry_after(response) if response is not None else None
        ) or self.get_backoff_time()
        if wait > self.max_wait:
            raise RetryWaitTooLong(wait, "single")
        self.budget.wait(wait)


def build_session(
    config: CorosConfig, sleep: Callable[[float], None] = time.sleep
) -> requests.Session:
    """A session that retries connection errors, timeouts, 429 and 5xx with bounded backoff."""
    retry = BoundedRetry(
        total=config.retries,
        connect=config.retries,
        read=config.retries,
        status=config.retries,
        other=0,
        redirect=0,
        allowed_methods=None,
        status_forcelist=(429, 500, 502, 503, 504),
        backoff_factor=config.backoff,
        backoff_jitter=config.backoff / 2,
        backoff_max=config.max_wait,
        respect_retry_after_header=True,
        retry_after_max=10**9,  # report what COROS asked for; BoundedRetry.sleep refuses long waits
        raise_on_status=False,
        raise_on_redirect=False,
    )
    retry.max_wait, retry.budget = config.max_wait, RetryBudget(config.retry_budget, sleep)
    session = NoRedirectSession()
    session.mount("https://", HTTPAdapter(max_retries=retry))
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.verify = True
    session.trust_env = True
    return session


class NoRedirectSession(requests.Session):
    """A session that never follows a redirect, nor reads a redirect's body to prepare one."""

    def resolve_redirects(self, resp: Any, req: Any, *args: Any, **kwargs: Any) -> Any:
        return iter(())


@dataclass(frozen=True)
class ActivityPage:
    """One page of the activity list; counts are None when COROS left them out."""

    items: list[JsonObject]
    count: int | None
    total_pages: int | None


class CorosClient:
    """Logged-in access to the Training Hub API; counts the HTTP requests it makes.

    The `fetch_*` methods return COROS's answers checked for shape (objects, lists, counts), so
    that callers only ever see the structure documented in the API reference.
    """

    def __init__(
        self,
        config: CorosConfig,
        session: requests.Session | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.config = config
        self.session = session or build_session(config)
        self.base_url = config.base_url or REGION_HOSTS[config.region or "global"]
        self.requests_made = 0
        self.clock = clock
        self._token: str | None = None
        self._user_id: str | None = None
        self._phase = NO_DEADLINE

    @contextlib.contextmanager
    def phase(self, seconds: float, what: str) -> Iterator[None]:
        """Every request made inside ends within `seconds` from now, however slowly COROS answers:
        an optional part's overall deadline (`what` names that time in the error)."""
        outer = self._phase
        self._phase = min(outer, Phase(self.clock() + seconds, what))
        try:
            yield
        finally:
            self._phase = outer

    @property
    def deadline(self) -> "Phase":
        """The deadline every request now runs under (the innermost phase's)."""
        return self._phase

    def login(self) -> None:
        body = {"account": self.config.email, "accountType": 2, "pwd": self.config.password_md5}
        data = self._request("POST", LOGIN, json_body=body, authed=False)
        if not isinstance(data, dict) or not data.get("accessToken"):
            raise DashboardError("COROS login answered without an access token; try again later")
        token, user_id, region = (
            data.get("accessToken"),
            data.get("userId", ""),
            data.get("regionId"),
        )
        if not isinstance(token, str) or not _TOKEN_RE.fullmatch(token):
            raise CorosShapeError(LOGIN, "the access token is not a printable ASCII string")
        if (
            isinstance(user_id, bool)
            or not isinstance(user_id, (str, int))
            or not _USER_ID_RE.fullmatch(str(user_id))
        ):
            raise CorosShapeError(LOGIN, "userId is not an id")
        if region is not None and (isinstance(region, bool) or not isinstance(region, int)):
            raise CorosShapeError(LOGIN, f"regionId is not a number ({quote(region)})")
        self._token, self._user_id = token, str(user_id)
        home = REGION_BY_ID.get(region) if region is not None else None
        if not self.config.base_url and not self.config.region and home:
            self.base_url = REGION_HOSTS[home]

    def get(self, path: str, params: JsonObject | None = None) -> Any:
        """GET an API path and return its `data`, logging in (again, once) when needed."""
        return self.call("GET", path, params)

    def call(self, method: str, path: str, params: JsonObject | None = None) -> Any:
        """Call an API path and return its `data`, logging in (again, once) when needed."""
        if self._token is None:
            self.login()
        for retry in (False, True):
            try:
                return self._request(method, path, params=params)
            except CorosApiError as exc:
                if exc.code != CODE_TOKEN_INVALID:
                    raise
                if retry:
                    raise DashboardError(
                        "COROS refused a fresh access token (code 1019); if COROS_REGION is set, "
                        "check it names your account's region (global, eu or cn) or remove it"
                    ) from None
            self.login()

    def fetch_account(self) -> JsonObject:
        return _object(ACCOUNT, self.get(ACCOUNT), "data")

    def fetch_activity_page(
        self,
        page: int,
        start: dt.date | None = None,
        end: dt.date | None = None,
        size: int = PAGE_SIZE,
    ) -> ActivityPage:
        """One page of the newest-first activity list, optionally of local days start…end only."""
        params = {"size": str(size), "pageNumber": str(page)}
        if start:
            params["startDay"] = str(coros_day(start))
        if end:
            params["endDay"] = str(coros_day(end))
        data = _object(ACTIVITY_LIST, self.get(ACTIVITY_LIST, params), "data")
        items = _objects(ACTIVITY_LIST, data.get("dataList"), "dataList")
        count = _count(ACTIVITY_LIST, data.get("count"), "count", MAX_PAGES * size)
        total_pages = _count(ACTIVITY_LIST, data.get("totalPage"), "totalPage", MAX_PAGES)
        if len(items) > size:
            raise CorosShapeError(
                ACTIVITY_LIST, f"page {page} holds {len(items)} items, more than the {size} asked"
            )
        return ActivityPage(items, count, total_pages)

    def fetch_analysis_days(self) -> list[JsonObject]:
        """The rolling ~84-day analysis: one item per day."""
        return _day_list(ANALYSIS, self.get(ANALYSIS))

    def fetch_day_details(self, start: dt.date, end: dt.date) -> list[JsonObject]:
        """Day detail for start…end (COROS answers at most ~24 weeks per call)."""
        params = {"startDay": str(coros_day(start)), "endDay": str(coros_day(end))}
        return _day_list(DAY_DETAIL, self.get(DAY_DETAIL, params))

    def fetch_dashboard_summary(self) -> JsonObject:
        """The dashboard's summaryInfo: race predictions and the last nights' sleep HRV.

        sleepHrvData holds a list of nights and repeats the latest night at its top level; both
        are returned as `sleepHrvList` items.
        """
        data = _object(DASHBOARD, self.get(DASHBOARD), "data")
        summary = _object(DASHBOARD, data.get("summaryInfo"), "summaryInfo")
        hrv = _object(DASHBOARD, summary.get("sleepHrvData"), "sleepHrvData")
        nights = _objects(DASHBOARD, hrv.get("sleepHrvList"), "sleepHrvData.sleepHrvList")
        if hrv.get("happenDay") is not None:
            nights = [*nights, {k: v for k, v in hrv.items() if k != "sleepHrvList"}]
        scores = _objects(DASHBOARD, summary.get("runScoreList"), "runScoreList")
        return {**summary, "runScoreList": scores, "sleepHrvData": {"sleepHrvList": nights}}

    def fetch_schedule(self, start: dt.date, end: dt.date) -> JsonObject:
        """The training schedule of days start…end: entities and programs (lists of objects, checked
        here, or missing) and the plan's id."""
        params = {
            "startDate": str(coros_day(start)),
            "endDate": str(coros_day(end)),
            "supportRestExercise": "1",
        }
        data = _object(SCHEDULE, self.get(SCHEDULE, params), "data")
        return {  # a list left out stays None: an answer without its lists is not an empty plan
            **data,
            **{
                key: _objects(SCHEDULE, data[key], key)
                for key in ("entities", "programs")
                if data.get(key) is not None
            },
        }

    def fetch_activity_detail(self, label_id: str) -> JsonObject:
        """Summary extras, laps, zones and weather of one activity (shapes checked, values not
        yet)."""
        data = _object(
            DETAIL, self.call("POST", DETAIL, {"labelId": label_id, "sportType": "100"}), "data"
        )
        laps = [
            lap
            for group in _objects(DETAIL, data.get("lapList"), "lapList")
            for lap in _objects(DETAIL, group.get("lapItemList"), "lapItemList")
        ]
        zones = [
            zone
            for group in _objects(DETAIL, data.get("zoneList"), "zoneList")
            if group.get("type") == 1
            for zone in _objects(DETAIL, group.get("zoneItemList"), "zoneItemList")
        ]
        return {
            "summary": _object(DETAIL, data.get("summary"), "summary"),
            "laps": laps,
            "hr_zones": zones,
            "weather": _object(DETAIL, data.get("weather"), "weather"),
        }

    def fetch_fit_url(self, label_id: str) -> str | None:
        """Where COROS keeps the activity's FIT file (None: it has none)."""
        params = {"labelId": label_id, "sportType": "100", "fileType": FIT_FILE_TYPE}
        url = _object(DOWNLOAD, self.call("POST", DOWNLOAD, params), "data").get("fileUrl")
        if url in (None, ""):
            return None
        if not isinstance(url, str) or not is_allowed_base(url):
            raise CorosShapeError(DOWNLOAD, f"fileUrl {quote(url)} is not an https:// URL")
        return url

    def _request(
        self,
        method: str,
        path: str,
        params: JsonObject | None = None,
        json_body: JsonObject | None = None,
        authed: bool = True,
    ) -> Any:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if authed:
            headers["accessToken"] = self._token or ""
            headers["yfheader"] = json.dumps({"userId": self._user_id}, separators=(",", ":"))
        url = f"{self.base_url}/{path}"
        now = self.clock()
        if now >= self._phase.end:
            raise DashboardError(f"{path} was not asked: {self._phase.what} ran out")
        deadline = min(
            Phase(
                now + self.config.request_deadline,
                f"the {self.config.request_deadline:g} s an answer may take "
                "(COROS_REQUEST_DEADLINE)",
            ),
            self._phase,
        )
        timeout = max(0.01, min(self.config.timeout, deadline.end - now))
        self.requests_made += 1
        try:
            response = self.session.request(
                method,
                url,
                params=params,
                json=json_body,
                headers=headers,
                allow_redirects=False,
                stream=True,
                timeout=(min(10.0, timeout), timeout),
            )
            with response:
                _refuse_redirect(path, response)
                body = _read_by(
                    response, MAX_BODY_BYTES, f"COROS's answer to {path}", deadline, self.clock
                )
        except RetryWaitTooLong as exc:
            what = (
                "a longer wait than" if exc.args[0] == "single" else "more waiting in this run than"
            )
            limit = self.config.max_wait if exc.args[0] == "single" else self.config.retry_budget
            raise DashboardError(
                f"COROS asked to retry {path} after {exc.seconds:.0f} s, {what} the {limit:.0f} s "
                "this allows; COROS is busy, try again later"
            ) from None
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
        except requests.exceptions.RequestException as exc:
            raise DashboardError(
                f"COROS's answer to {path} could not be read ({type(exc).__name__}); "
                "try again later"
            ) from None
        return _unwrap(path, response.status_code, body)


def _refuse_redirect(path: str, response: requests.Response) -> None:
    """Credentials never follow a redirect: the token, yfheader or password MD5 would go with it."""
    if 300 <= response.status_code < 400:
        target = urlsplit(response.headers.get("Location") or "").hostname or "an unnamed place"
        raise DashboardError(
            f"COROS answered {path} with a redirect (HTTP {response.status_code}) to "
            f"{quote(target)}; "
            "refusing to send your credentials there (check COROS_API_BASE / COROS_REGION)"
        )


def _unwrap(path: str, status: int, body: bytes) -> Any:
    if status >= 400:
        raise DashboardError(
            f"COROS answered HTTP {status} on {path} after retries; COROS may be down, try again "
            "later"
        )
    try:
        envelope = parse_json(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise DashboardError(
            f"COROS answered {path} with something that is not JSON; "
            "the API may have changed or be failing, try again later"
        ) from None
    if not isinstance(envelope, dict) or "result" not in envelope:
        raise DashboardError(
            f"COROS answered {path} without its result envelope; the API may have changed"
        )
    code = envelope.get("result")
    if not isinstance(code, (str, int)) or isinstance(code, bool):
        raise CorosShapeError(path, f"result is {quote(code)}")
    code = str(code)
    if code == CODE_BAD_CREDENTIALS:
        raise DashboardError(
            "COROS rejected the email or password (code 1030); check COROS_EMAIL and "
            "COROS_PASSWORD (log in at t.coros.com to confirm them)"
        )
    if code != "0000":
        raise CorosApiError(path, code[:20], str(envelope.get("message", ""))[:120])
    return envelope.get("data")


def _is_timeout(exc: Exception) -> bool:
    text = repr(exc)
    return isinstance(exc, requests.exceptions.Timeout) or "Timeout" in text or "timed out" in text


def _object(path: str, value: object, what: str) -> JsonObject:
    """An object, with a missing (null) one read as empty."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise CorosShapeError(path, f"{what} is not an object ({quote(value)})")
    return value


def _objects(path: str, value: object, what: str) -> list[JsonObject]:
    """A list of objects, with a missing (null) one read as empty."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise CorosShapeError(path, f"{what} is not a list ({quote(value)})")
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise CorosShapeError(path, f"{what}[{i}] is not an object ({quote(item)})")
    return value


def _count(path: str, value: object, what: str, high: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, str) and value.isdigit() and len(value) < 12:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        raise CorosShapeError(path, f"{what} {quote(value)} is not a count between 0 and {high:,}")
    return value


def _day_list(path: str, data: object) -> list[JsonObject]:
    """The per-day list of an analysis or day-detail answer: a bare list, or one under dayList."""
    if isinstance(data, dict):
        keys = [k for k in ("dayList", "detailList", "list") if data.get(k) is not None]
        data = data[keys[0]] if keys else []
    return _objects(path, data, "the day list")


def coros_day(date: dt.date) -> int:
    """2026-02-13 → 20260213, COROS's day number (also the emulator's)."""
    return date.year * 10000 + date.month * 100 + date.day


def day_from_coros(value: object, latest: dt.date) -> dt.date | None:
    """COROS's day number (int or digit string) → a date from FIRST_DAY to `latest`; None if it is
    not one."""
    if isinstance(value, str) and value.isdigit() and len(value) == 8:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 10000101 <= value <= 99991231:
        return None
    try:
        day = dt.date(value // 10000, value // 100 % 100, value % 100)
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= latest else None


def fetch_file(
    url: str,
    timeout: float = 30.0,
    max_bytes: int = MAX_FIT_BYTES,
    deadline: "Phase | None" = None,
    clock: Callable[[], float] = time.monotonic,
) -> bytes:
    """Download a file COROS links to: a fresh session with no COROS token or header, https only
    (plain http to this machine for the emulator), no redirect followed, at most `max_bytes`, and
    done by `deadline` (of `clock`; a client's `deadline`) however slowly the body drips in."""
    if not is_allowed_base(url):
        raise DashboardError(
            f"refusing to download from {quote(urlsplit(url).hostname)}: not an https:// URL"
        )
    host = urlsplit(url).hostname
    try:
        with (
            NoRedirectSession() as session,
            session.get(
                url, timeout=(min(10.0, timeout), timeout), allow_redirects=False, stream=True
            ) as response,
        ):
            if 300 <= response.status_code < 400:
                raise DashboardError(
                    f"the file host {quote(host)} answered with a redirect; not followed"
                )
            if response.status_code >= 400:
                raise DashboardError(
                    f"the file host {quote(host)} answered HTTP {response.status_code}"
                )
            return _read_by(
                response, max_bytes, f"the file at {quote(host)}", deadline or NO_DEADLINE, clock
            )
    except (requests.exceptions.RequestException, urllib3.exceptions.HTTPError) as exc:
        raise DashboardError(f"the file host {quote(host)} failed ({type(exc).__name__})") from None


class Phase(NamedTuple):
    """A deadline (of a clock) and the name of its time, for the error when it passes
    ("the 120 s an answer may take …"); the earliest of two wins."""

    end: float
    what: str


NO_DEADLINE = Phase(math.inf, "")


def _read_by(
    response: requests.Response,
    limit: int,
    what: str,
    deadline: Phase,
    clock: Callable[[], float],
) -> bytes:
    """The decoded body, one receive at a time: more than `limit` bytes is refused (a small gzip
    can expand enormously), and a body dripped a byte at a time (which never trips a read timeout)
    still ends at the deadline."""
    chunks, size = [], 0
    while chunk := response.raw.read1(64 * 1024, decode_content=True):
        size += len(chunk)
        if size > limit:
            raise DashboardError(
                f"{what} is larger than {limit // 1_000_000} MB; refusing to read it"
            )
        if clock() > deadline.end:
            raise DashboardError(
                f"{what} was still arriving when {deadline.what} ran out; try again later"
            )
        chunks.append(chunk)
    return b"".join(chunks)
