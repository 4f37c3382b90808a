"""Synthetic demo data: every domain adds its own seeder as it lands."""
