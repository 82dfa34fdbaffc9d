"""The audit trail: who did what to which subject (and which patient), when, from where, with
which outcome. See `subgraphs/identity/README.md` ("Audit trail") for the design.

- :mod:`.caller`: who is asking, bound once per request (principal, address, request id).
- :mod:`.entry`: the `AuditRecorded` event every component writes to its own outbox.
- :mod:`.capture`: state changes audited in the transaction of the change (from its domain
  events), reads and refusals in a small transaction of their own.
- :mod:`.trail` and :mod:`.chain`: the hash-chained trail (kept in the identity store),
  appended by the identity consumer, verified by `healthbook audit verify`.
"""
