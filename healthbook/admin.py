"""`healthbook create-admin`: the first administrator, with a password never on the command line."""

from __future__ import annotations

import asyncio
import getpass
import sys

from healthbook.stores import migrate
from subgraphs.identity import service
from subgraphs.shared.database import Database
from subgraphs.shared.errors import DomainError
from subgraphs.shared.settings import Settings


def read_password(*, from_stdin: bool) -> str:
    """The new password: one line of standard input, or typed twice at a prompt."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password for the new admin: ")
    if getpass.getpass("Again: ") != first:
        raise DomainError("The two passwords differ.")
    return first


def create_admin(settings: Settings, *, email: str, name: str, password: str) -> int:
    """Create the account in the (migrated) identity store; prints why when it cannot."""
    migrate(settings, ("identity",))
    return asyncio.run(_create(settings, email=email, name=name, password=password))


async def _create(settings: Settings, *, email: str, name: str, password: str) -> int:
    database = Database.from_url(settings.require_database("identity"))
    try:
        user = await service.create_admin(db=database, email=email, password=password, name=name)
    except DomainError as error:
        print(f"healthbook: {error.message}", file=sys.stderr)
        return 1
    finally:
        await database.dispose()
    print(f"created admin {user.email} ({user.id})")
    return 0
