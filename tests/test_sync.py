"""When a listing can be trusted for deletions (a pure unit: the HTTP side is tested end to end)."""

from coros_dashboard.coros.sync import Paging, activity_cutoff


def reason(counts: set, read: int, pages: int, **seen: bool) -> str:
    """A listing read to its end unless at_end=False says it stopped at the cutoff."""
    return Paging(counts, read, pages, **({"at_end": True} | seen)).reason()


def test_a_listing_is_complete_only_with_consistent_counts_and_everything_read():
    assert reason({(250, 3)}, 250, 3) == ""
    assert reason({(250, 3)}, 100, 1, at_end=False) == ""  # stopped at the cutoff
    assert "no activity count" in reason({(None, None)}, 250, 3)
    assert "no activity count" in reason({(250, None)}, 250, 3)
    assert "changed while paging" in reason({(250, 3), (249, 3)}, 249, 3)
    assert "do not hold" in reason({(250, 9)}, 250, 9)
    assert "shifted" in reason({(250, 3)}, 249, 3, duplicate=True)
    assert "shifted" in reason({(250, 3)}, 249, 3, short_page=True)
    assert "149 activities read of the 250" in reason({(250, 3)}, 149, 3)
    assert "read of the 250" in reason({(250, 3)}, 250, 2)
    assert reason({(0, 0)}, 0, 1) == ""
    assert reason({(0, 1)}, 0, 1) == ""


def test_cutoff_is_a_week_before_the_newest_stored_activity():
    assert (
        activity_cutoff([{"date": "2026-01-01"}, {"date": "2026-11-20"}], False, None)
        == "2026-11-13"
    )
    assert activity_cutoff([{"date": "2026-11-20"}], True, None) is None
    assert activity_cutoff([], False, None) is None
