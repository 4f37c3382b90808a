"""Procedures a case runs through: the B8 reflection period, the meldcode and plans."""
