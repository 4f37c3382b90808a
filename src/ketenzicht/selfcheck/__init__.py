"""Selfcheck: a public, anonymous, multilingual rights check for workers.

No login, nothing stored: answers live only in the request that carries them. The
strings are in a Babel domain of their own (``selfcheck``) with more languages than
the professional catalogue. ``wml`` holds the minimum-wage rules as dated data.
"""
