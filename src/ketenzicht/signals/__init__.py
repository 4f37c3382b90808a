"""Signals: low-threshold intake, ILO/EC indicator screening, routing and linkage."""
