"""Referrals (doorverwijzingen): sending, answering and escalating, with the legal basis.

A capability of cases that spans many files gets a sub-package of its own; its service
is :mod:`ketenzicht.cases.referrals.service`, the legal bases stay in ``cases/data``.
"""
