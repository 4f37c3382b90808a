"""HTML routes of the shelter domain, one module per part; ``router`` holds them all."""

from __future__ import annotations

from fastapi import APIRouter

from ketenzicht.shelter.views import batch, manage, offers, placements, registry, requests

router = APIRouter(include_in_schema=False)
for part in (registry, manage, requests, batch, offers, placements):
    router.include_router(part.router)
