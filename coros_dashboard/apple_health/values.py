"""Dates and numbers as health.json stores them, shared by payloads and exports."""

import datetime as dt
import re

from coros_dashboard.errors import Problems, quote
from coros_dashboard.store.datafiles import FIRST_DAY, stored_number

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def one_decimal(value: float) -> int | float:
    """A Health value as stored: rounded to 1 decimal, an int when whole."""
    return stored_number(value, 1)


def check_date(value: object, today: dt.date, where: str, problems: Problems) -> str | None:
    if not isinstance(value, str) or not _DATE_RE.match(value):
        problems.add(
            f"{where}: date {quote(value)} is not YYYY-MM-DD"
            if value is not None
            else f"{where}: date is missing"
        )
        return None
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        problems.add(f"{value}: date is not a real calendar day")
        return None
    if date < FIRST_DAY or date > today + dt.timedelta(days=1):
        problems.add(f"{value}: date is outside {FIRST_DAY} … tomorrow")
        return None
    return value
