"""Advertiser networks: linked ads, their reasons, template, trajectories and identifiers."""
