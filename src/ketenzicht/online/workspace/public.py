"""What the workspace publishes to the rest of ``online``: the crawl's watchlist hook.

The collection tells the watchlists about each ad it stores through :func:`on_crawled`;
nothing outside ``online.workspace`` imports its other modules (a contract checks it).
"""

from __future__ import annotations

from ketenzicht.online.workspace.watch import on_crawled

__all__ = ["on_crawled"]
