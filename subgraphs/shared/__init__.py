"""Plumbing shared by every subgraph: settings, database, outbox, bus, cache, health, telemetry."""
