"""Ketenzicht: a platform for the Dutch chain against human trafficking."""

from __future__ import annotations

from functools import cache


@cache
def _version() -> str:
    # importlib.metadata scans every installed distribution: worth it only when asked for,
    # not at every start of the `ketenzicht` command (issue 25).
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ketenzicht")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+source"


def __getattr__(name: str) -> str:
    """``ketenzicht.__version__``, looked up on first use."""
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'ketenzicht' has no attribute {name!r}")
