"""Monitor: how large is the hidden population behind the registered cases."""
