"""Database plumbing shared by all domains: base class, types, engine and sessions."""
