"""The one exception type for failures a user can act on."""


class DashboardError(Exception):
    """An expected failure: the CLI prints its message as one line and exits non-zero."""
