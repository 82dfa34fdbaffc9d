"""Events the identity subgraph consumes.

- `AuditRecorded` from every component (itself included): the entry is chained onto the
  audit trail kept in this store, once per entry id however often it is delivered.
"""

from __future__ import annotations

from subgraphs.shared.audit import chain
from subgraphs.shared.audit.entry import AUDIT_RECORDED
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.resources import Resources

HANDLED_EVENTS: frozenset[str] = frozenset({AUDIT_RECORDED})


async def handle(envelope: EventEnvelope, resources: Resources) -> None:
    """Append one audit entry to the trail (a repeat delivery adds nothing)."""
    entry = chain.entry_from(envelope.uuid, envelope.time, envelope.payload)
    async with resources.database.transaction() as session:
        await chain.append(session, [entry])
