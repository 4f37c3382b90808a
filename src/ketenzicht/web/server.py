"""Run the web app under uvicorn, with an access log that keeps no visitor of public pages.

The selfcheck promises workers that nothing about them is stored. uvicorn's access log
writes every client's address and full path (with its query) to the server's log, so
for the public paths (the selfcheck and the static files its pages load) the address
and the query are replaced before the line is written; the method, path and status stay,
so that operators still see what failed.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

import uvicorn
from fastapi import FastAPI
from uvicorn.config import LOGGING_CONFIG

from ketenzicht.config import Settings
from ketenzicht.main import create_app
from ketenzicht.selfcheck.privacy import STATIC, is_public_path

ANONYMOUS = "-"


class PublicPathFilter(logging.Filter):
    """Anonymise uvicorn access-log records of public paths (address and query)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's arguments in place; never drops a line."""
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:
            _client, method, full_path, version, status = args
            path = str(full_path).split("?", 1)[0]
            if is_public_path(path) or path.startswith(STATIC):
                record.args = (ANONYMOUS, method, path, version, status)
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's own logging setup, with the filter on its access handler."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["public_paths"] = {"()": PublicPathFilter}
    config["handlers"]["access"].setdefault("filters", []).append("public_paths")
    return config


def make_config(application: FastAPI, settings: Settings, host: str | None = None,
                port: int | None = None, *, logging_config: dict[str, Any] | None = None
                ) -> uvicorn.Config:
    """The uvicorn configuration ``run`` serves with (also what the log test starts)."""
    return uvicorn.Config(application, host=host or settings.host, port=port or settings.port,
                          proxy_headers=True, forwarded_allow_ips=settings.forwarded_allow_ips,
                          log_level=settings.log_level,
                          log_config=logging_config or log_config())


def run(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """Serve until interrupted; refuses an insecure configuration (``InsecureSettingsError``)."""
    uvicorn.Server(make_config(create_app(settings), settings, host, port)).run()
