"""COROS activity sport codes (activity list numbering, not the workout/plan numbering)."""

SPORT_NAMES = {
    98: "Custom",
    100: "Run",
    101: "Indoor Run",
    102: "Trail Run",
    103: "Track Run",
    104: "Hike",
    105: "Mountain Climb",
    106: "Climb",
    200: "Road Bike",
    201: "Indoor Bike",
    202: "E-Bike",
    203: "Gravel Bike",
    204: "Mountain Bike",
    205: "E-MTB",
    300: "Pool Swim",
    301: "Open Water",
    400: "Gym Cardio",
    401: "GPS Cardio",
    402: "Strength",
    500: "Ski",
    501: "Snowboard",
    502: "XC Ski",
    503: "Ski Touring",
    700: "Rowing",
    701: "Indoor Rower",
    702: "Whitewater",
    704: "Flatwater",
    705: "Windsurfing",
    706: "Speedsurfing",
    800: "Indoor Climb",
    801: "Bouldering",
    900: "Walk",
    901: "Jump Rope",
    902: "Stair Climb",
    10000: "Triathlon",
    10001: "Multisport",
    10002: "Ski Touring",
    10003: "Multi-Pitch Climb",
}

RUN_CODES = frozenset({100, 101, 102, 103})


def sport_name(code: int) -> str:
    """The display name of a sport code; codes COROS adds later still get a name."""
    return SPORT_NAMES.get(code, f"Other ({code})")
