"""Example adapter: the demo site writes some cities in capitals; store them title-cased."""

from __future__ import annotations

from typing import Any


class Adapter:
    """Normalise the city field of the demo site."""

    def adjust(self, fields: dict[str, Any], *, url: str) -> dict[str, Any]:
        """Title-case an all-capitals city."""
        city = fields.get("city")
        if isinstance(city, str) and city.isupper():
            fields["city"] = city.title()
        return fields
