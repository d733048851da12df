"""COROS activity sport codes (activity list numbering) and the sport groups the site offers as
views."""

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
    299: "Helmet Ride",
    300: "Pool Swim",
    301: "Open Water",
    400: "Gym Cardio",
    401: "GPS Cardio",
    402: "Strength",
    500: "Ski",
    501: "Snowboard",
    502: "XC Ski",
    503: "Ski Touring",
    600: "Fighter",
    700: "Rowing",
    701: "Indoor Rower",
    702: "Whitewater",
    704: "Flatwater",
    705: "Windsurfing",
    706: "Speedsurfing",
    800: "Indoor Climb",
    801: "Bouldering",
    802: "Outdoor Climb",
    900: "Walk",
    901: "Jump Rope",
    902: "Stair Climb",
    903: "Elliptical",
    904: "Yoga",
    905: "Pilates",
    906: "Boxing",
    1000: "Badminton",
    1001: "Table Tennis",
    1002: "Basketball",
    1003: "Soccer",
    1004: "Pickleball",
    1005: "Tennis",
    1006: "Padel",
    1100: "Frisbee",
    1101: "Skateboard",
    1200: "Hybrid Fitness",
    10000: "Triathlon",
    10001: "Multisport",
    10002: "Ski Touring",
    10003: "Multi-Pitch Climb",
}

RUN_CODES = frozenset({100, 101, 102, 103})
# sports recorded without GPS: treadmill, indoor bike, pool, gym, strength, indoor rower, stairs
INDOOR_CODES = frozenset({101, 201, 300, 400, 402, 701, 902})
# The views of the site, in this order after "All": a group is shown only if the athlete has it.
GROUPS = {
    "run": ("Run", RUN_CODES),
    "ride": ("Ride", frozenset({200, 201, 202, 203, 204, 205, 299})),
    "swim": ("Swim", frozenset({300, 301})),
    "walk": ("Walk & hike", frozenset({900, 104, 105, 902})),
    "strength": ("Strength", frozenset({402, 1200, 400, 401})),
}
OTHER = "other"
PACE_GROUPS = ("run", "walk")  # read as a pace per km or mile; swims per 100 m, the rest a speed


def sport_name(code: int) -> str:
    """The display name of a sport code; codes COROS adds later still get a name."""
    return SPORT_NAMES.get(code, f"Other ({code})")


def sport_group(code: int) -> str:
    """The view a sport code belongs to: run, ride, swim, walk, strength or other."""
    return next((key for key, (_, codes) in GROUPS.items() if code in codes), OTHER)


def group_label(key: str) -> str:
    if key in GROUPS:
        return GROUPS[key][0]
    return "Other" if key == OTHER else "All sports"
