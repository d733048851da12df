"""The one exception type for failures a user can act on."""


class DashboardError(Exception):
    """An expected failure: the CLI prints its message as one line and exits non-zero."""


def quote(value, limit: int = 60) -> str:
    """A value for an error line: its repr, cut to a readable length (a 4 MB string is never echoed)."""
    text = (
        repr(value)
        if not isinstance(value, str) or len(value) <= limit * 4
        else repr(value[: limit * 4])
    )
    return text if len(text) <= limit else text[:limit] + "…"
