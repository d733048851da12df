"""COROS account profile → data/profile.json: training settings only, nothing personal."""

from coros_dashboard.errors import Problems
from coros_dashboard.jsontypes import JsonObject
from coros_dashboard.store.datafiles import PROFILE_FIELDS

UNIT_CODES = {0: "metric", 1: "imperial"}  # COROS unit setting → units
_ZONE_FIELDS = {
    "maxHrZone": "hr_zones_max_hr",
    "lthrZone": "hr_zones_lthr",
    "ltspZone": "pace_zones_s_per_km",
    "cyclePowerZone": "power_zones_w",
}
_THRESHOLDS = {
    "maxHr": "max_hr",
    "rhr": "resting_hr",
    "lthr": "lthr",
    "ltsp": "ltsp_s_per_km",
    "ftp": "ftp_w",
}


def normalize_profile(account: JsonObject, races: JsonObject, warnings: Problems) -> JsonObject:
    """Zones, thresholds, unit setting and race predictions; never email, name, birthday or body
    data.

    A setting outside its plausible range is left out with a warning.
    """
    zone_data = account.get("zoneData")
    zones: JsonObject = zone_data if isinstance(zone_data, dict) else {}
    unit = account.get("unit")
    profile: dict[str, object] = {
        "units": UNIT_CODES.get(unit, "metric") if isinstance(unit, int) else "metric"
    }
    for source, field in _THRESHOLDS.items():
        value = zones.get(source, account.get(source))
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            profile[field] = value
    for source, field in _ZONE_FIELDS.items():
        value = zones.get(source)
        if isinstance(value, list) and value:
            profile[field] = [
                v for v in value if isinstance(v, (int, float)) and not isinstance(v, bool)
            ]
    if races:
        profile["race_predictions"] = races
    for field in sorted(profile):
        problem = PROFILE_FIELDS[field].problem(profile[field])
        if problem:
            warnings.add(f"account/query: {field} {problem}; left out")
            del profile[field]
    return profile
