"""What the dashboard derives from stored details, per sport view: one pass over constructed
details."""

import pandas as pd
import polyline

from coros_dashboard.site.depth import build_depth, zones_per_week
from coros_dashboard.site.units import Units

TODAY = pd.Timestamp("2026-11-22")


def acts(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["id", "date", "sport_code", "group", "name", "distance_m"])
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def zones(easy, moderate, hard) -> list:
    return [
        {"zone": 1, "time_s": easy},
        {"zone": 3, "time_s": moderate},
        {"zone": 5, "time_s": hard},
    ]


def loop(lat, lon, n=40) -> list[str]:
    return [polyline.encode([(lat + 0.001 * (i % 7), lon + 0.001 * (i // 7)) for i in range(n)], 5)]


class Reads(dict):
    """A details mapping that counts reads: build_depth must read each detail once."""

    reads = 0

    def get(self, key, default=None):
        self.reads += 1
        return super().get(key, default)


def test_zones_heatmaps_and_eddington_follow_the_sport_views():
    frame = acts(
        [
            ("r1", "2026-11-16", 100, "run", "Run", 12000),
            ("r2", "2026-11-18", 100, "run", "Run", 5000),
            ("b1", "2026-11-17", 200, "ride", "Ride", 40000),
            ("s1", "2026-11-19", 402, "strength", "Gym", 0),
        ]
    )
    details = Reads(
        {
            "r1": {"hr_zones": zones(1800, 600, 0), "route": loop(52.5, 13.4)},
            "r2": {"hr_zones": zones(0, 0, 900)},
            "b1": {"hr_zones": zones(3000, 0, 60), "route": loop(52.52, 13.41)},
            "s1": {"hr_zones": zones(0, 0, 0)},
        }
    )
    depth = build_depth(frame, details, Units("metric"), TODAY)
    assert details.reads == 4
    week = pd.Timestamp("2026-11-16")
    assert zones_per_week(depth.zones, "run").loc[week].to_dict() == {
        "easy": 1800,
        "moderate": 600,
        "hard": 900,
    }
    assert zones_per_week(depth.zones, "all").loc[week].to_dict() == {
        "easy": 4800,
        "moderate": 600,
        "hard": 960,
    }
    assert zones_per_week(depth.zones, "strength") is None  # all zeros: no zones to show
    assert {k: v["routes"] for k, v in depth.heatmaps.items()} == {"all": 2, "run": 1, "ride": 1}
    assert depth.eddington == {"run": {"Run": 2}, "ride": {"Ride": 1}, "all": {"Run": 2, "Ride": 1}}
    assert set(depth.routes) == {"r1", "b1"} and len(depth.routes["r1"][0]) == 40
