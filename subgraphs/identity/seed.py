"""Demo accounts, with the ids every subgraph's seed derives on its own.

Password of every demo account: `healthbook-demo`. User ids are
`uuid5(NAMESPACE_URL, "healthbook:user:<email>")`.

- admin@healthbook.local — ADMIN, "Ada Admin"
- patient@healthbook.local — PATIENT, "Alex Morgan" (en, Europe/Berlin, +4915100000001)
- patient2@healthbook.local — PATIENT, "Sam Rivera" (es, Europe/Madrid)
- dr.<surname>@healthbook.local — DOCTOR, "Dr. <Surname>", for the 24 surnames in
  :data:`DOCTOR_SURNAMES` (`dr.pending@healthbook.local` is the one doctor still pending
  approval in the doctors subgraph).

Seeding writes the accounts only (no events): each subgraph seeds its own demo data from
the same fixed list, so nothing here reaches the bus.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from typing import Final

from argon2 import PasswordHasher
from sqlalchemy import func
from sqlmodel import select

from subgraphs.identity.credentials.passwords import DEFAULT, hash_password
from subgraphs.identity.domain import Channel
from subgraphs.identity.models import User
from subgraphs.shared.auth import Role
from subgraphs.shared.resources import Resources

log = logging.getLogger(__name__)

DEMO_PASSWORD: Final = "healthbook-demo"  # noqa: S105 (documented demo credential)
DOCTOR_SURNAMES: Final = (
    "silva", "okafor", "tanaka", "mueller", "rossi", "novak", "haddad", "kowalski",
    "dubois", "garcia", "nguyen", "patel", "kim", "schmidt", "jensen", "moreau",
    "costa", "ivanova", "brown", "fischer", "santos", "yilmaz", "andersen", "pending",
)  # fmt: skip
_DISPLAY = {"mueller": "Müller", "yilmaz": "Y\u0131lmaz"}  # Turkish dotless i


def user_id(email: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"healthbook:user:{email}")


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: Role
    language: str = "en"
    time_zone: str = "Europe/Berlin"
    phone: str | None = None


def demo_accounts() -> list[DemoAccount]:
    accounts = [
        DemoAccount("admin@healthbook.local", "Ada Admin", Role.ADMIN),
        DemoAccount(
            "patient@healthbook.local", "Alex Morgan", Role.PATIENT, phone="+4915100000001"
        ),
        DemoAccount("patient2@healthbook.local", "Sam Rivera", Role.PATIENT, "es", "Europe/Madrid"),
    ]
    for surname in DOCTOR_SURNAMES:
        display = _DISPLAY.get(surname, surname.capitalize())
        accounts.append(
            DemoAccount(f"dr.{surname}@healthbook.local", f"Dr. {display}", Role.DOCTOR)
        )
    return accounts


def _row(account: DemoAccount, password_hash: str) -> User:
    channels = [Channel.EMAIL, Channel.IN_APP] + ([Channel.SMS] if account.phone else [])
    return User(
        id=user_id(account.email),
        email=account.email,
        password_hash=password_hash,
        role=account.role,
        name=account.name,
        phone=account.phone,
        language=account.language,
        time_zone=account.time_zone,
        notification_channels=[c.value for c in channels],
    )


async def seed(resources: Resources, *, hasher: PasswordHasher = DEFAULT) -> None:
    """Create the demo accounts when the identity store has no user yet."""
    async with resources.database.session() as session:
        count = (await session.exec(select(func.count()).select_from(User))).one()
    if count:
        return
    accounts = demo_accounts()
    # One hash per account at full cost: slow, so off the event loop, a few threads at once.
    limit = asyncio.Semaphore(4)

    async def hashed() -> str:
        async with limit:
            return await asyncio.to_thread(hash_password, DEMO_PASSWORD, hasher)

    hashes = await asyncio.gather(*(hashed() for _ in accounts))
    async with resources.database.transaction() as session:
        for account, password_hash in zip(accounts, hashes, strict=True):
            session.add(_row(account, password_hash))
    log.info("demo accounts created", extra={"accounts": len(accounts)})
