"""Best efforts and the Eddington number on constructed streams, against hand-computed values."""

import pytest

from coros_dashboard.site.efforts import best_effort, best_efforts, eddington


def stream(legs):
    """10-second samples of legs (metres, seconds per km)."""
    t, d = [0], [0.0]
    for metres, pace in legs:
        steps, start = round(metres / 1000 * pace / 10), d[-1]
        for k in range(1, steps + 1):
            t.append(t[-1] + 10)
            d.append(start + metres * k / steps)  # exact at the end of each leg
    return {"t": t, "d": d}


def test_a_5k_that_starts_mid_run_is_found_and_timed_exactly():
    run = stream([(2000, 360), (5000, 240), (3000, 360)])  # 2 km easy, 5 km at 4:00/km, 3 km easy
    assert best_effort(run["t"], run["d"], 5000) == 1200  # the fast 5 km, from 2 km to 7 km
    # 10 km is the whole run: 2 × 6:00 + 5 × 4:00 + 3 × 6:00
    assert best_effort(run["t"], run["d"], 10000) == 720 + 1200 + 1080
    assert (
        best_effort(run["t"], run["d"], 1000) == 240
        and best_effort(run["t"], run["d"], 21097.5) is None
    )


def test_a_stretch_starting_between_samples_is_interpolated():
    t, d = [0, 10, 20, 30], [0.0, 30.0, 60.0, 100.0]  # 4 m/s only in the last 10 s
    # 50 m ending at 100 m starts at 50 m, two thirds of the way from 30 m (10 s) to 60 m (20 s):
    # 16.67 s
    assert best_effort(t, d, 50) == pytest.approx(13.3)
    assert best_effort(t, d, 40) == 10.0


def test_best_efforts_names_the_distances_covered():
    efforts = best_efforts(stream([(5500, 300)]))
    assert set(efforts) == {"400 m", "1 km", "1 mile", "5K"} and efforts["5K"] == 1500


@pytest.mark.parametrize(
    "distances, number",
    [
        ([], 0),
        ([1, 1, 1], 1),
        ([5, 4, 3, 3, 2], 3),
        ([10] * 12, 10),
        ([50, 40, 12, 11, 9, 9, 9, 9, 9, 8], 9),
    ],
)
def test_eddington_number(distances, number):
    assert eddington(distances) == number
