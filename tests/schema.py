"""The API's OpenAPI schema for schemathesis, taken from the app in-process.

``schemathesis.openapi.from_asgi`` fetches ``/api/v1/openapi.json`` through a test client
with a 10 s read timeout; on a loaded machine building the schema can take longer, and
the fuzz tests failed at random (issue 24). The same dict, asked of FastAPI directly,
has no timeout to miss.
"""

from __future__ import annotations

import json

import schemathesis
from fastapi import FastAPI
from schemathesis.specs.openapi.schemas import OpenApiSchema


def api_schema(app: FastAPI) -> OpenApiSchema:
    """The schema the fuzz tests drive, bound to ``app`` so that calls go to it."""
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(app.openapi())))
    loaded.app = app
    loaded.location = "/api/v1/openapi.json"
    return loaded
