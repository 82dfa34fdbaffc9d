"""Identity use cases: keyword-only functions, one transaction each."""

from __future__ import annotations

import asyncio

from sqlmodel import select

from subgraphs.identity import domain, events
from subgraphs.identity.models import User
from subgraphs.identity.passwords import hash_password
from subgraphs.shared import outbox
from subgraphs.shared.auth import Role
from subgraphs.shared.database import Database
from subgraphs.shared.errors import Conflict


async def register(*, db: Database, email: str, password: str, name: str) -> User:
    """Create a patient account and announce it with `UserRegistered`."""
    address = domain.normalize_email(email)
    domain.check_password(password)
    clean_name = domain.check_name(name)
    password_hash = await asyncio.to_thread(hash_password, password)
    async with db.transaction() as session:
        taken = (await session.exec(select(User.id).where(User.email == address))).first()
        if taken is not None:
            raise Conflict("An account with this email address already exists.", field="email")
        user = User(email=address, password_hash=password_hash, role=Role.PATIENT, name=clean_name)
        session.add(user)
        outbox.record(
            session,
            events.UserRegistered(user_id=user.id, email=address, name=clean_name, role=user.role),
            source=events.SOURCE,
        )
    return user
