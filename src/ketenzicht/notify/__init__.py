"""In-app notifications and the e-mail outbox (a shared layer below every domain)."""
