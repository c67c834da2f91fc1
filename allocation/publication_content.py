"""The published quota's contract (allocation/publication_services.py) in the few names every
publication module shares: the categories' keys and the stored content."""
from __future__ import annotations

import json

from quota_portal.core.models import Category

# The contract's names of the categories (Category values "1".."4", "S").
CATEGORY_KEYS = {Category.CAT1.value: "1", Category.CAT2.value: "2", Category.CAT3.value: "3",
                 Category.CAT4.value: "4", Category.SEASONAL.value: "seasonal"}
CONTRACT_CATEGORIES = tuple(CATEGORY_KEYS.values())


def published_content(distribution) -> dict:
    """The content as it was published (the stored canonical JSON)."""
    return json.loads(distribution.published_json)
