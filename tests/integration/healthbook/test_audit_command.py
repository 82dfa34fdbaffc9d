"""`healthbook audit verify` says the trail is intact, or names its first broken link."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import text

from healthbook import audit_commands
from healthbook.cli import main
from subgraphs.shared.audit import chain
from subgraphs.shared.audit.caller import Caller
from subgraphs.shared.audit.entry import entry
from subgraphs.shared.database import Database
from subgraphs.shared.settings import Settings
from tests.conftest import MakeStore


async def three_entries(db: Database) -> None:
    who = Caller(user_id=uuid.uuid4(), role="ADMIN")
    async with db.transaction() as session:
        await chain.append(
            session,
            [
                chain.entry_from(e.event_id, e.occurred_at, e.payload())
                for e in (entry(who, component="identity", action=f"A{i}") for i in range(3))
            ],
        )


def settings_for(db: Database) -> Settings:
    url = db.engine.url.render_as_string(hide_password=False)
    return Settings.from_env({"IDENTITY_DATABASE_URL": url})


async def test_verify_passes_on_an_intact_trail(
    make_store: MakeStore, capsys: pytest.CaptureFixture[str]
) -> None:
    db = await make_store("identity")
    await three_entries(db)
    code = await asyncio.to_thread(audit_commands.run, settings_for(db), "verify")
    assert code == 0
    assert "audit trail intact: 3 entries checked" in capsys.readouterr().out


async def test_verify_names_the_first_altered_entry(
    make_store: MakeStore, capsys: pytest.CaptureFixture[str]
) -> None:
    db = await make_store("identity")
    await three_entries(db)
    async with db.engine.begin() as connection:
        if db.dialect == "postgresql":
            await connection.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            await connection.execute(text("DROP TRIGGER audit_trail_no_update"))
        await connection.execute(text("UPDATE audit_trail SET action = 'X' WHERE seq = 2"))
    code = await asyncio.to_thread(audit_commands.run, settings_for(db), "verify")
    assert code == 1
    assert "audit trail BROKEN at entry 2" in capsys.readouterr().err


def test_the_command_line_offers_audit_verify(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["audit", "--help"])
    assert "verify" in capsys.readouterr().out
