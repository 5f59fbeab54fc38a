"""Storage: the raw store, mentions, tickets, quarantine, source state, audit and outbox (SQLAlchemy 2)."""
