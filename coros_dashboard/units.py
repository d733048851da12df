"""Display units: km or miles, min/km or min/mi, metres or feet."""

import math
from dataclasses import dataclass

M_PER_MILE = 1609.344
M_PER_FOOT = 0.3048


@dataclass(frozen=True)
class Units:
    system: str  # "metric" or "imperial"

    @property
    def imperial(self) -> bool:
        return self.system == "imperial"

    @property
    def distance(self) -> str:
        return "mi" if self.imperial else "km"

    @property
    def elevation(self) -> str:
        return "ft" if self.imperial else "m"

    @property
    def pace(self) -> str:
        return f"min/{self.distance}"

    def from_m(self, metres):
        return metres / (M_PER_MILE if self.imperial else 1000)

    def elevation_from_m(self, metres):
        return metres / M_PER_FOOT if self.imperial else metres

    def pace_from_s_per_km(self, seconds):
        """Seconds per km → seconds per display unit."""
        return seconds * (M_PER_MILE / 1000) if self.imperial else seconds


def format_duration(seconds) -> str:
    """3725 → '1:02:05'; 312 → '5:12'."""
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "–"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_hours(seconds) -> str:
    """Long totals: 361800 → '100h 30m'."""
    minutes = int(round((seconds or 0) / 60))
    return f"{minutes // 60:,}h {minutes % 60:02d}m"
