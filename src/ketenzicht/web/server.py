"""Run the web app under uvicorn."""

from __future__ import annotations

import uvicorn

from ketenzicht.config import Settings
from ketenzicht.main import create_app


def run(settings: Settings, host: str | None = None, port: int | None = None) -> None:
    """Serve until interrupted; refuses an insecure configuration (``InsecureSettingsError``)."""
    application = create_app(settings)
    uvicorn.run(application, host=host or settings.host, port=port or settings.port,
                proxy_headers=True, forwarded_allow_ips=settings.forwarded_allow_ips,
                log_level=settings.log_level)
