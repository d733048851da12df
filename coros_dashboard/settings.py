"""Every environment variable the project reads, each declared once: its type, range, default and
the one error line that names it when its value is wrong.

An unset or empty variable takes the default (GitHub passes a missing secret as ""). A wrong one
stops the command with `NAME must be …` and exit 1; a secret's value is never shown.
"""

import hashlib
import ipaddress
import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

from coros_dashboard.errors import DashboardError, quote
from coros_dashboard.privacy import DEFAULT_TRIM_M, Privacy, Zone

T = TypeVar("T")
Env = Mapping[str, str]


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One environment variable; `parse` raises ValueError saying what the value must be."""

    name: str
    parse: Callable[[str], T]
    default: T
    secret: bool = False

    def read(self, env: Env | None = None) -> T:
        raw = (os.environ if env is None else env).get(self.name, "")
        if not raw.strip():
            return self.default
        try:
            raw.encode("utf-8")  # a byte that is not UTF-8 arrives as a lone surrogate
        except UnicodeEncodeError:
            raise DashboardError(
                f"{self.name} must be UTF-8 text (the value is not shown)"
            ) from None
        try:
            return self.parse(raw.strip())
        except ValueError as exc:
            shown = " (the value is not shown)" if self.secret else f", not {quote(raw)}"
            raise DashboardError(f"{self.name} must be {exc}{shown}") from None


def number(low: float, high: float, what: str = "a number") -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not low <= value <= high:
            raise ValueError(f"{what} between {low:g} and {high:g}")
        return value

    return parse


def whole(low: int, high: int, what: str = "a whole number") -> Callable[[str], int]:
    def parse(text: str) -> int:
        if not re.fullmatch(r"[+-]?\d{1,12}", text) or not low <= int(text) <= high:
            raise ValueError(f"{what} between {low} and {high}")
        return int(text)

    return parse


def switch(text: str) -> bool:
    value = text.lower()
    if value not in ("true", "false", "1", "0", "yes", "no"):
        raise ValueError("true or false")
    return value in ("true", "1", "yes")


def choice(*options: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text.lower() not in options:
            raise ValueError(f"one of {', '.join(options)}")
        return text.lower()

    return parse


def printable(max_len: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if len(text) > max_len or not text.isprintable():
            raise ValueError(f"printable text of at most {max_len} characters")
        return text

    return parse


MAX_PATH = 4096  # Linux's PATH_MAX; a name in it at most NAME_MAX bytes
MAX_NAME = 255


def folder(text: str) -> Path:
    """A directory to read or create: not a file, no control characters, a length the system
    takes."""
    path = Path(text)
    if len(text.encode("utf-8", "surrogateescape")) >= MAX_PATH or any(
        len(part.encode("utf-8", "surrogateescape")) > MAX_NAME for part in path.parts
    ):
        raise ValueError(f"a directory path shorter than {MAX_PATH} bytes")
    if not text.isprintable() or (path.exists() and not path.is_dir()):
        raise ValueError("a directory (this path is not one)")
    return path


def output_file(text: str) -> Path:
    path = Path(text)
    if not text.isprintable() or path.is_dir():
        raise ValueError("a file to append to (this path is a directory)")
    return path


def existing_file(text: str) -> Path:
    path = Path(text)
    if not text.isprintable() or not path.is_file():
        raise ValueError("an existing file")
    return path


def executable(text: str) -> str:
    if not os.access(text, os.X_OK) or not Path(text).is_file():
        raise ValueError("the path of a Chromium-based browser")
    return text


def branch(text: str) -> str:
    if (
        not re.fullmatch(r"[A-Za-z0-9._/-]{1,200}", text)
        or text.startswith(("-", "/"))
        or ".." in text
    ):
        raise ValueError("a branch name")
    return text


def repository(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}", text):
        raise ValueError("owner/name")
    return text


def https_url(text: str) -> str:
    parts = urlsplit(text)
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError("an https:// URL")
    return text.rstrip("/")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def api_base(text: str) -> str:
    """https anywhere; plain http only to this machine (the emulator)."""
    parts = urlsplit(text)
    secure = parts.scheme == "https" and parts.hostname
    local = parts.scheme == "http" and parts.hostname and is_loopback(parts.hostname)
    if not (secure or local):
        raise ValueError("an https:// URL (plain http only for localhost)")
    return text.rstrip("/")


def email(text: str) -> str:
    if len(text) > 254 or not text.isprintable():
        raise ValueError("your COROS login, an email address")
    return text


def password_md5(text: str) -> str:
    value = text.lower()
    if not re.fullmatch(r"[0-9a-f]{32}", value):
        raise ValueError("32 hex digits (the MD5 of your password)")
    return value


def zones(text: str) -> tuple[Zone, ...]:
    """'lat,lon,radius_m;…' (a repository secret, never a committed file)."""
    found = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        try:
            lat, lon, radius = (float(x) for x in part.split(","))
        except ValueError:
            raise ValueError("'lat,lon,radius_m' items separated by ';'") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 < radius <= 100_000):
            raise ValueError(
                "'lat,lon,radius_m' items with no zone outside the map and a radius in 1…100000 m"
            )
        found.append(Zone(lat, lon, radius))
    return tuple(found)


def secret_text(text: str) -> str:
    if len(text) < 16 or len(text) > 1024 or not text.isprintable():
        raise ValueError("printable text of 16 to 1024 characters")
    return text


def no_parse(text: str) -> str:
    return text


# the fetch: COROS login and API
COROS_EMAIL = Setting("COROS_EMAIL", email, "")
COROS_PASSWORD = Setting("COROS_PASSWORD", no_parse, "", secret=True)
COROS_PASSWORD_MD5 = Setting("COROS_PASSWORD_MD5", password_md5, "", secret=True)
COROS_REGION = Setting[str | None]("COROS_REGION", choice("global", "eu", "cn"), None)
COROS_API_BASE = Setting[str | None]("COROS_API_BASE", api_base, None, secret=True)
COROS_TIMEOUT = Setting("COROS_TIMEOUT", number(0.01, 600, "a number of seconds"), 30.0)
COROS_BACKOFF = Setting("COROS_BACKOFF", number(0, 600, "a number of seconds"), 0.5)
COROS_FULL_SYNC = Setting("COROS_FULL_SYNC", switch, False)
COROS_DETAIL_BUDGET = Setting("COROS_DETAIL_BUDGET", whole(0, 100_000), 150)
# the detail phase's wall-clock limit: with the summary sync, well inside the fetch job's 20 minutes
COROS_DETAIL_DEADLINE = Setting(
    "COROS_DETAIL_DEADLINE", number(1, 86_400, "a number of seconds"), 480.0
)
# one answer from COROS, and the training plan's whole phase, however slowly COROS answers
COROS_REQUEST_DEADLINE = Setting(
    "COROS_REQUEST_DEADLINE", number(1, 3600, "a number of seconds"), 120.0
)
COROS_PLAN_DEADLINE = Setting("COROS_PLAN_DEADLINE", number(1, 3600, "a number of seconds"), 120.0)
PRIVACY_ZONES = Setting[tuple[Zone, ...]]("PRIVACY_ZONES", zones, (), secret=True)
PRIVACY_TRIM_M = Setting("PRIVACY_TRIM_M", number(0, 5000, "metres"), DEFAULT_TRIM_M)
PRIVACY_SECRET = Setting("PRIVACY_SECRET", secret_text, "", secret=True)
# every stage
DATA_DIR = Setting("DATA_DIR", folder, Path("data"))
COROS_DASHBOARD_DEBUG = Setting("COROS_DASHBOARD_DEBUG", switch, False)
# the build
SITE_DIR = Setting("SITE_DIR", folder, Path("site"))
UNITS = Setting[str | None]("UNITS", choice("metric", "imperial"), None)
DASHBOARD_TITLE = Setting("DASHBOARD_TITLE", printable(100), "Training dashboard")
SOURCE_DATE_EPOCH = Setting[int | None](
    "SOURCE_DATE_EPOCH", whole(0, 10**11, "a whole number of seconds"), None
)
GITHUB_REPOSITORY = Setting[str | None]("GITHUB_REPOSITORY", repository, None)
GITHUB_SERVER_URL = Setting("GITHUB_SERVER_URL", https_url, "https://github.com")
# the health receiver and the commit step in GitHub Actions
GITHUB_EVENT_PATH = Setting[Path | None]("GITHUB_EVENT_PATH", existing_file, None)
GITHUB_OUTPUT = Setting[Path | None]("GITHUB_OUTPUT", output_file, None)
GITHUB_REF_NAME = Setting("GITHUB_REF_NAME", branch, "main")
# every command's report on GitHub Actions (see report.py)
GITHUB_STEP_SUMMARY = Setting[Path | None]("GITHUB_STEP_SUMMARY", output_file, None)
GITHUB_ACTIONS = Setting("GITHUB_ACTIONS", switch, False)
COMMIT_ATTEMPTS = Setting("COMMIT_ATTEMPTS", whole(1, 50), 6)
COMMIT_BACKOFF = Setting("COMMIT_BACKOFF", number(0, 600, "a number of seconds"), 2.0)
# development: the browser tests, screenshots, benchmarks and the emulator
CHROMIUM_PATH = Setting("CHROMIUM_PATH", executable, "/usr/bin/chromium")
EMULATOR_FIT_CACHE = Setting[Path | None]("EMULATOR_FIT_CACHE", folder, None)

ALL: tuple[Setting[Any], ...] = tuple(v for v in list(globals().values()) if isinstance(v, Setting))


@dataclass(frozen=True)
class CorosLogin:
    """What the client needs to log in; repr never shows the password hash."""

    email: str
    password_md5: str = ""

    def __repr__(self) -> str:
        return "CorosLogin(…)"


def coros_login(env: Env | None = None) -> CorosLogin:
    email_address = COROS_EMAIL.read(env).strip()
    password = COROS_PASSWORD.read(env)
    md5 = COROS_PASSWORD_MD5.read(env)
    if not email_address or not (password or md5):
        raise DashboardError(
            "COROS_EMAIL and COROS_PASSWORD (or COROS_PASSWORD_MD5) must be set; "
            "in GitHub add them as repository secrets"
        )
    if password:
        md5 = hashlib.md5(password.encode("utf-8")).hexdigest()
    return CorosLogin(email_address, md5)


def privacy(env: Env | None = None) -> Privacy:
    """Zones, trim and the secret that displaces them: PRIVACY_SECRET, else the COROS password's
    hash (stable, and never stored)."""
    secret = PRIVACY_SECRET.read(env)
    if not secret:
        password, md5 = COROS_PASSWORD.read(env), COROS_PASSWORD_MD5.read(env)
        secret = hashlib.md5(password.encode("utf-8")).hexdigest() if password else md5
    return Privacy(PRIVACY_ZONES.read(env), PRIVACY_TRIM_M.read(env), secret.encode("utf-8"))
