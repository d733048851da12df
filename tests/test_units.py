"""Units: the one place numbers become text."""

from coros_dashboard.site.units import Units, format_duration, format_effect


def test_speed_temperature_and_effects_follow_the_unit_system():
    assert Units("metric").speed_text(89_170, 11_640) == "27.6 km/h"
    assert Units("imperial").speed_text(89_170, 11_640) == "17.1 mi/h"
    assert (
        Units("metric").temperature_text(19) == "19 °C"
        and Units("imperial").temperature_text(19) == "66 °F"
    )
    assert (
        Units("metric").speed_text(None, 100) == "–"
        and Units("metric").temperature_text(None) == "–"
    )
    assert (
        format_effect(2) == "2.0"
        and format_effect(3.25) == "3.2"
        and format_duration(3725) == "1:02:05"
    )
