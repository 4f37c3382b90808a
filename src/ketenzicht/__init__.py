"""Ketenzicht: a platform for the Dutch chain against human trafficking."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ketenzicht")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
