"""`healthbook audit verify|purge`: check the trail's hash chain, remove old segments."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta

from subgraphs.shared.audit import chain
from subgraphs.shared.database import Database
from subgraphs.shared.settings import Settings

TRAIL_STORE = "identity"  # where the trail of every component is kept


def run(settings: Settings, action: str, *, older_than_days: int | None = None) -> int:
    """Run `action` on the trail; the exit status is 1 when the chain is broken."""
    database = Database.from_url(settings.require_database(TRAIL_STORE))
    if action == "verify":
        return asyncio.run(_verify(database))
    if older_than_days is None or older_than_days < 1:
        print("healthbook: purge needs --older-than-days N (N ≥ 1)", file=sys.stderr)
        return 2
    return asyncio.run(_purge(database, older_than_days))


async def _verify(database: Database) -> int:
    try:
        result = await chain.verify(database)
    finally:
        await database.dispose()
    if result.broken is None:
        print(
            f"audit trail intact: {result.checked} entries checked after the purge anchor at "
            f"{result.anchored_through}; head {result.head_seq} hash {result.head_hash}"
        )
        return 0
    broken = result.broken
    print(
        f"audit trail BROKEN at entry {broken.seq} (id {broken.entry_id}): {broken.problem}; "
        f"{result.checked} entries before it verified",
        file=sys.stderr,
    )
    return 1


async def _purge(database: Database, days: int) -> int:
    before = datetime.now(UTC) - timedelta(days=days)
    try:
        removed = await chain.purge(database, before=before)
    finally:
        await database.dispose()
    print(f"purged {removed} audit entries recorded before {before.isoformat()}")
    return 0
