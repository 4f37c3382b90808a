"""Adapters: one module per site, each with a class ``Adapter`` (see crawl.profiles)."""
