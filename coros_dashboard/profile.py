"""COROS account profile → data/profile.json: training settings only, nothing personal."""

UNITS = {0: "metric", 1: "imperial"}
_ZONE_FIELDS = {
    "maxHrZone": "hr_zones_max_hr",
    "lthrZone": "hr_zones_lthr",
    "ltspZone": "pace_zones_s_per_km",
    "cyclePowerZone": "power_zones_w",
}
_THRESHOLDS = {"maxHr": "max_hr", "rhr": "resting_hr", "lthr": "lthr", "ltsp": "ltsp_s_per_km", "ftp": "ftp_w"}


def normalize_profile(account: dict, races: dict) -> dict:
    """Zones, thresholds, unit setting and race predictions; never email, name, birthday or body data."""
    account = account or {}
    zones = account.get("zoneData") or {}
    profile = {"units": UNITS.get(account.get("unit"), "metric")}
    for source, field in _THRESHOLDS.items():
        value = zones.get(source, account.get(source))
        if isinstance(value, (int, float)) and value > 0:
            profile[field] = value
    for source, field in _ZONE_FIELDS.items():
        value = zones.get(source)
        if isinstance(value, list) and value:
            profile[field] = [v for v in value if isinstance(v, (int, float))]
    if races:
        profile["race_predictions"] = races
    return profile
