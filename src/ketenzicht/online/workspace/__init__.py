"""The investigator's workspace of ``online``: triage, watchlists, search, reports, maps.

Its tables (triage decisions and their history, watchlists and watch hits) are its own; the
networks it shows are read from ``online.networks`` (built by the linker) and the ads and
captures from ``online.crawl``.
"""
