"""Colours that carry meaning reach WCAG's 3:1 for graphics against what they sit on."""

import pytest

from coros_dashboard.site.theme import PALETTE, SERIES


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_on_known_pairs():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#a3a3a3", "#ffffff") == pytest.approx(2.52, abs=0.01)  # the old Form line


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_meaningful_lines_and_marks_reach_3_to_1(scheme):
    p = PALETTE[scheme]
    for name in ("fitness", "fatigue", "form"):
        assert contrast(SERIES[name], p["card"]) >= 3, name
    for tone in ("good", "caution", "bad"):
        assert contrast(p[tone], p["bg"]) >= 3, tone
    # the calendar: any training day stands out from a rest day
    rest, *shades = p["ramp"]
    assert min(contrast(shade, rest) for shade in shades) >= 3
