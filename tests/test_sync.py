"""When a listing can be trusted for deletions (a pure unit: the HTTP side is tested end to end)."""

from coros_dashboard.coros.sync import _incomplete, activity_cutoff


def test_a_listing_is_complete_only_with_consistent_counts_and_everything_read():
    assert _incomplete({(250, 3)}, 250, 3, True, False, False) == ""
    assert _incomplete({(250, 3)}, 100, 1, False, False, False) == ""  # stopped at the cutoff
    assert "no activity count" in _incomplete({(None, None)}, 250, 3, True, False, False)
    assert "no activity count" in _incomplete({(250, None)}, 250, 3, True, False, False)
    assert "changed while paging" in _incomplete({(250, 3), (249, 3)}, 249, 3, True, False, False)
    assert "do not hold" in _incomplete({(250, 9)}, 250, 9, True, False, False)
    assert "shifted" in _incomplete({(250, 3)}, 249, 3, True, False, True)
    assert "149 activities read of the 250" in _incomplete({(250, 3)}, 149, 3, True, False, False)
    assert "read of the 250" in _incomplete({(250, 3)}, 250, 2, True, False, False)
    assert _incomplete({(0, 0)}, 0, 1, True, False, False) == ""
    assert _incomplete({(0, 1)}, 0, 1, True, False, False) == ""


def test_cutoff_is_a_week_before_the_newest_stored_activity():
    assert activity_cutoff([{"date": "2026-01-01"}, {"date": "2026-11-20"}], False, None) == "2026-11-13"
    assert activity_cutoff([{"date": "2026-11-20"}], True, None) is None
    assert activity_cutoff([], False, None) is None
