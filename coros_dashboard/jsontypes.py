"""Names for JSON-shaped values: what COROS answers, what a Health payload holds and what a data
file stores, where no dataclass of their own describes them."""

from typing import Any

JsonObject = dict[str, Any]
"""One JSON object: a COROS item, a payload day, a record of a data file."""
