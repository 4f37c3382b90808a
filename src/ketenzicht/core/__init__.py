"""Domain-free building blocks: errors, clock, events, state machines, i18n."""
