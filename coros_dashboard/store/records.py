"""Merging dated records: the rule shared by COROS daily metrics and Apple Health days."""

from typing import NamedTuple

from coros_dashboard.jsontypes import JsonObject


class DateMerge(NamedTuple):
    records: list[JsonObject]  # sorted by date
    added: set[str]  # dates new to the file
    updated: set[str]  # dates whose stored record changed


def merge_by_date(stored: list[JsonObject], incoming: list[JsonObject]) -> DateMerge:
    """Merge records keyed by 'date'; a field given replaces the stored one, a missing one keeps
    it."""
    by_date = {rec["date"]: rec for rec in stored}
    added: set[str] = set()
    updated: set[str] = set()
    for rec in incoming:
        date = rec["date"]
        old = by_date.get(date)
        new = {**(old or {}), **{k: v for k, v in rec.items() if v is not None}}
        if old is None:
            added.add(date)
        elif new != old:
            updated.add(date)
        by_date[date] = new
    return DateMerge([by_date[d] for d in sorted(by_date)], added, updated - added)
