from coros_dashboard.coros.profile import normalize_profile
from coros_dashboard.errors import Problems


def test_profile_keeps_training_settings_and_drops_personal_data():
    account = {
        "email": "x@y.z",
        "nickname": "N",
        "birthday": 19900101,
        "weight": 70,
        "unit": 1,
        "maxHr": 190,
        "zoneData": {"lthr": 165, "ltsp": 285, "maxHrZone": [114, 133], "ftp": 0},
    }
    profile = normalize_profile(account, {"race_5k_s": 1200}, Problems())
    assert profile == {
        "units": "imperial",
        "max_hr": 190,
        "lthr": 165,
        "ltsp_s_per_km": 285,
        "hr_zones_max_hr": [114, 133],
        "race_predictions": {"race_5k_s": 1200},
    }


def test_implausible_settings_are_left_out_with_a_warning():
    warnings = Problems()
    profile = normalize_profile({"unit": [1], "maxHr": 1e308, "zoneData": "x"}, {}, warnings)
    assert profile == {"units": "metric"} and len(warnings) == 1 and "max_hr" in warnings[0]
