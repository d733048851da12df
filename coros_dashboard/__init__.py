"""COROS training & Apple Health dashboard: fetch, merge and publish a runner's history."""

__version__ = "0.1.0"
