"""Seeded synthetic ads with ground truth, for benchmarks, tests and the demo site.

:mod:`.ads` writes single ads with evasively written phone numbers; :mod:`.corpus` plants
labelled advertiser networks, clubs and independents on top of it.
"""
