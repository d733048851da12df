from coros_dashboard.daily import day_items, normalize_day, race_predictions, sleep_hrv_days


def test_zero_means_not_measured_for_physiology_but_not_for_load():
    rec = normalize_day({"happenDay": 20260101, "rhr": 0, "trainingLoad": 0, "vo2max": "52", "ati": 27.5})
    assert rec == {"date": "2026-01-01", "training_load": 0, "vo2max": 52, "ati": 27.5}
    assert normalize_day({"rhr": 50}) is None


def test_day_lists_are_found_under_any_known_key():
    assert day_items({"dayList": [1]}) == [1] and day_items([2]) == [2] and day_items(None) == []


def test_race_predictions_and_sleep_hrv():
    races = race_predictions([{"type": 1, "duration": 10800}, {"type": 5, "duration": 1200},
                              {"type": 3, "duration": 1}, {"type": 4, "duration": 0}])
    assert races == {"race_marathon_s": 10800, "race_5k_s": 1200}
    nights = sleep_hrv_days({"sleepHrvData": {"sleepHrvList": [{"happenDay": 20260211, "avgSleepHrv": 61}]}})
    assert nights == [{"date": "2026-02-11", "sleep_hrv_ms": 61}]
