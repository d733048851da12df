from coros_dashboard.store.records import merge_by_date


def test_fields_given_replace_missing_ones_keep_and_order_is_by_date():
    stored = [{"date": "2026-01-02", "a": 1, "b": 2}]
    merged, added, updated = merge_by_date(
        stored,
        [
            {"date": "2026-01-03", "a": 5},
            {"date": "2026-01-02", "a": 9, "b": None},
            {"date": "2026-01-01", "a": 0},
        ],
    )
    assert merged == [
        {"date": "2026-01-01", "a": 0},
        {"date": "2026-01-02", "a": 9, "b": 2},
        {"date": "2026-01-03", "a": 5},
    ]
    assert added == {"2026-01-01", "2026-01-03"} and updated == {"2026-01-02"}


def test_replaying_the_same_records_changes_nothing():
    first, *_ = merge_by_date([], [{"date": "2026-01-01", "a": 1}])
    again, added, updated = merge_by_date(first, [{"date": "2026-01-01", "a": 1}])
    assert again == first and not added and not updated
