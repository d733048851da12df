"""Paging logic of the sync, with a stub client (a pure unit: the HTTP side is tested end to end)."""

from coros_dashboard.sync import activity_cutoff, fetch_activity_pages


class StubClient:
    def __init__(self, pages):
        self.pages = pages
        self.asked = []

    def get(self, path, params):
        page = int(params["pageNumber"])
        self.asked.append(page)
        return {"count": sum(len(p) for p in self.pages), "totalPage": len(self.pages),
                "dataList": self.pages[page - 1]}


class NoProgress:
    def update(self, *args):
        pass

    def close(self):
        pass


def item(label, day):
    return {"labelId": label, "sportType": 100, "date": day}


def test_a_page_of_unusable_items_does_not_stop_or_crash_paging():
    client = StubClient([[item("3", 20261120)], [{"labelId": "", "sportType": 100}], [item("1", 20261001)]])
    records, covered, complete = fetch_activity_pages(client, "2026-11-01", NoProgress())
    assert client.asked == [1, 2, 3] and {r["id"] for r in records} == {"3", "1"}
    assert covered is None and not complete  # an item it could not read: no deletions on this listing


def test_paging_stops_at_the_cutoff():
    client = StubClient([[item("4", 20261120), item("3", 20261110)], [item("2", 20261020)], [item("1", 20260101)]])
    records, covered, _ = fetch_activity_pages(client, "2026-11-01", NoProgress())
    assert client.asked == [1, 2] and covered == "2026-11-01" and len(records) == 3


def test_cutoff_is_a_week_before_the_newest_stored_activity():
    assert activity_cutoff([{"date": "2026-11-20"}, {"date": "2026-01-01"}], False, None) == "2026-11-13"
    assert activity_cutoff([{"date": "2026-11-20"}], True, None) is None
    assert activity_cutoff([], False, None) is None
