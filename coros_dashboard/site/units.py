"""Display units and every value's formatting: the one place numbers become text."""

import math
from dataclasses import dataclass

M_PER_MILE = 1609.344
M_PER_FOOT = 0.3048
PACE_AXIS_FORMAT = "%-M:%S"  # a pace in milliseconds on a Plotly date axis, written 5:07


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


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
        return f"/{self.distance}"

    @property
    def unit_m(self) -> float:
        """Metres in one distance unit: a km, or a mile."""
        return M_PER_MILE if self.imperial else 1000.0

    def from_m(self, metres):
        return metres / (M_PER_MILE if self.imperial else 1000)

    def elevation_from_m(self, metres):
        return metres / M_PER_FOOT if self.imperial else metres

    def pace_from_s_per_km(self, seconds):
        """Seconds per km → seconds per display unit."""
        return seconds * (M_PER_MILE / 1000) if self.imperial else seconds

    def distance_text(self, metres, digits: int = 1) -> str:
        """'12.3 km'; '–' when not measured."""
        return "–" if _missing(metres) else f"{self.from_m(metres):,.{digits}f} {self.distance}"

    def elevation_text(self, metres) -> str:
        return "–" if _missing(metres) else f"{self.elevation_from_m(metres):,.0f} {self.elevation}"

    def speed_text(self, metres, seconds) -> str:
        """'27.6 km/h'."""
        return (
            "–"
            if _missing(metres) or not seconds
            else f"{self.from_m(metres) / (seconds / 3600):.1f} {self.distance}/h"
        )

    def temperature_text(self, celsius) -> str:
        """'19 °C', or '66 °F' in imperial units."""
        if _missing(celsius):
            return "–"
        return f"{celsius * 9 / 5 + 32:.0f} °F" if self.imperial else f"{celsius:.0f} °C"

    def swim_pace_text(self, metres, seconds) -> str:
        """'1:55 /100 m' (pools are measured in metres here, as COROS stores them)."""
        return (
            "–"
            if _missing(metres) or not metres or _missing(seconds)
            else f"{format_duration(seconds / (metres / 100))} /100 m"
        )

    def pace_text(self, seconds_per_km) -> str:
        """'5:12 /km'."""
        return (
            "–"
            if _missing(seconds_per_km)
            else f"{format_duration(self.pace_from_s_per_km(seconds_per_km))} {self.pace}"
        )


def format_duration(seconds) -> str:
    """3725 → '1:02:05'; 312 → '5:12'."""
    if _missing(seconds):
        return "–"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_hm(minutes) -> str:
    """A duration in minutes as h:mm: 452 → '7:32'."""
    if _missing(minutes):
        return "–"
    minutes = int(round(minutes))
    return f"{minutes // 60}:{minutes % 60:02d}"


def format_planned(seconds) -> str:
    """A planned time as a plan says it: 2700 → '45 min', 17700 → '4:55 h' (no seconds: a plan
    has none worth reading)."""
    if _missing(seconds):
        return "–"
    minutes = int(round(seconds / 60))
    return f"{minutes} min" if minutes < 60 else f"{format_hm(minutes)} h"


def format_hours(seconds) -> str:
    """Long totals: 361800 → '100h 30m'."""
    minutes = int(round((seconds or 0) / 60))
    return f"{minutes // 60:,}h {minutes % 60:02d}m"


def format_effect(value) -> str:
    """Training effect as COROS shows it: 2 → '2.0'."""
    return "–" if _missing(value) else f"{value:.1f}"


def format_int(value) -> str:
    """12294 → '12,294'."""
    return "–" if _missing(value) else f"{int(round(value)):,}"


def format_percent(share: float, digits: int = 0) -> str:
    """0.415 → '42 %'."""
    return f"{100 * share:.{digits}f} %"


def format_signed(value: float) -> str:
    """A whole number with its sign, a true minus: −12, +5."""
    return f"{value:+.0f}".replace("-", "−")


def format_count(count: int, one: str, many: str) -> str:
    """1 → '1 activity'; 1288 → '1,288 activities'."""
    return f"{count:,} {one if count == 1 else many}"


def pace_ticks(seconds, steps=(15, 30, 60, 300, 600, 1800)) -> list[float]:
    """Round tick positions (seconds) across the data's range (1st to 99th percentile), about
    five."""
    ordered = sorted(float(s) for s in seconds if s is not None and s == s)
    if not ordered:
        return []
    low, high = ordered[int(0.01 * (len(ordered) - 1))], ordered[int(0.99 * (len(ordered) - 1))]
    step = next((s for s in steps if (high - low) / s <= 6), steps[-1])
    return list(
        range(int(math.floor(low / step) * step), int(math.ceil(high / step) * step) + 1, step)
    )
