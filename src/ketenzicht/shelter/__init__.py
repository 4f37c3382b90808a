"""Shelter places: registry, cheap availability updates, matching, reservations, metrics."""
