"""Merging dated records: the rule shared by COROS daily metrics and Apple Health days."""


def merge_by_date(stored: list, incoming: list) -> tuple:
    """Merge records keyed by 'date'; a field given replaces the stored one, a missing one keeps it.

    Returns (merged records sorted by date, dates added, dates whose stored record changed).
    """
    by_date = {rec["date"]: rec for rec in stored}
    added, updated = set(), set()
    for rec in incoming:
        date = rec["date"]
        old = by_date.get(date)
        new = {**(old or {}), **{k: v for k, v in rec.items() if v is not None}}
        if old is None:
            added.add(date)
        elif new != old:
            updated.add(date)
        by_date[date] = new
    return [by_date[d] for d in sorted(by_date)], added, updated - added
