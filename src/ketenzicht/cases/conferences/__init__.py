"""Case conferences (casusoverleg / MDO): agenda, attendees, minutes and their versions.

The service is :mod:`ketenzicht.cases.conferences.service`.
"""
