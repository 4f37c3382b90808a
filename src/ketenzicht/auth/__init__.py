"""Organisations, accounts, roles, sessions, API tokens and the need-to-know table."""
