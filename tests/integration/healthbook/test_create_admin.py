"""`healthbook create-admin` makes an administrator who can then sign in."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlmodel import select

from subgraphs.identity.models import User
from subgraphs.shared.auth import Role
from subgraphs.shared.database import Database
from tests.support.processes import healthbook


def run(args: list[str], tmp_path: Path, stdin: str) -> tuple[int, str]:
    log = tmp_path / "create-admin.log"
    env = {"HEALTHBOOK_DATA_DIR": str(tmp_path / "data"), "LOG_LEVEL": "WARNING"}
    with healthbook(args, env, log, stdin=stdin) as process:
        code = process.wait(120)
    return code, log.read_text()


async def test_create_admin_makes_an_admin_account(tmp_path: Path) -> None:
    args = ["create-admin", "--email", "Root@Example.org", "--name", "Root", "--password-stdin"]
    code, output = await asyncio.to_thread(run, args, tmp_path, "a-strong-passphrase\n")
    assert code == 0, output
    assert "created admin root@example.org" in output
    assert "a-strong-passphrase" not in output
    database = Database.from_url(f"sqlite+aiosqlite:///{tmp_path / 'data' / 'identity.sqlite3'}")
    try:
        async with database.session() as session:
            user = (await session.exec(select(User).where(User.email == "root@example.org"))).one()
    finally:
        await database.dispose()
    assert user.role == Role.ADMIN


async def test_create_admin_refuses_a_weak_password_with_a_clear_message(tmp_path: Path) -> None:
    args = ["create-admin", "--email", "root@example.org", "--password-stdin"]
    code, output = await asyncio.to_thread(run, args, tmp_path, "short\n")
    assert code == 1
    assert "characters" in output
