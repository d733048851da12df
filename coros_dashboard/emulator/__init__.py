"""A COROS Training Hub emulator: a real HTTP server on 127.0.0.1 for tests, the demo and
benchmarks."""

from coros_dashboard.emulator.athlete import Athlete, seed_athlete, synthetic_athlete
from coros_dashboard.emulator.server import Emulator, Fault

__all__ = ["Athlete", "Emulator", "Fault", "seed_athlete", "synthetic_athlete"]
