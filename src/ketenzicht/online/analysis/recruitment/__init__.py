"""Recruitment of young people for criminal exploitation: lexicon, detector and generator.

A library like the rest of ``online.analysis``: no database, no web app. ``detector.score``
is what ``ketenzicht online recruitment score`` and the workspace both call.
"""
