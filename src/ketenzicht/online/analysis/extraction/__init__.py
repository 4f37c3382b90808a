"""Extraction from online ads: phones (de-obfuscated), e-mails, handles, ages, places, prices,
origins and language, one small stage per module.

The stages are put in order, together with the indicators, by
``ketenzicht.online.analysis.pipeline``; this package does not import the indicators, so
the dependency runs one way only.
"""
