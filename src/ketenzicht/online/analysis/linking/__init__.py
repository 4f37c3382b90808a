"""Linking ads into advertiser networks, with movement, a template and a scored explanation.

:mod:`.engine` runs the stages; :mod:`.features`, :mod:`.boilerplate`, :mod:`.candidates`,
:mod:`.components`, :mod:`.movement`, :mod:`.template` and :mod:`.score` are one stage each.
"""
