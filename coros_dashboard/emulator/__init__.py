"""A COROS Training Hub emulator: a real HTTP server on 127.0.0.1 for tests, the demo and benchmarks."""

from .athlete import Athlete, seed_athlete, synthetic_athlete
from .server import Emulator, Fault

__all__ = ["Athlete", "Emulator", "Fault", "seed_athlete", "synthetic_athlete"]
