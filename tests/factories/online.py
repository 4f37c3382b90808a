"""Factories for the collection half of ``online``: scraped-ad field dicts."""

from __future__ import annotations

from typing import Any


def ad_fields(n: int = 0, **overrides: Any) -> dict[str, Any]:
    """The fields a site profile reads from an ad page."""
    fields: dict[str, Any] = {
        "title": f"Anna in Utrecht {n}", "text": f"Hoi, ik ben Anna. Advertentie {n}.",
        "city": "Utrecht", "age": "24", "phone": "06 1234 5678", "posted_at": "2026-11-20",
        "images": [],
    }
    fields.update(overrides)
    return fields
