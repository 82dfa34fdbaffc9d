"""The appointments subgraph's use cases: booking and its lifecycle, reads, the store, idempotency,
live updates and the doctors' slot check.
"""
