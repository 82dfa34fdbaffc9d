"""Demo accounts, `healthbook create-admin`, and the first admin from the environment."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from subgraphs.identity import seed, service
from subgraphs.identity.credentials.passwords import CHEAP_FOR_TESTS
from subgraphs.identity.models import User
from subgraphs.shared.auth import Role
from subgraphs.shared.cache import MemoryCache
from subgraphs.shared.errors import BadUserInput, Conflict
from subgraphs.shared.pubsub import MemoryPubSub
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import Settings
from tests.conftest import MakeStore
from tests.integration.identity.conftest import Api, identity_runtime


async def test_seed_creates_the_demo_accounts_once_with_shared_ids(
    make_store: MakeStore, settings: Settings
) -> None:
    database = await make_store("identity")
    resources = Resources("identity", settings, database, MemoryCache(), MemoryPubSub())
    await seed.seed(resources, hasher=CHEAP_FOR_TESTS)
    await seed.seed(resources, hasher=CHEAP_FOR_TESTS)  # idempotent
    async with database.session() as session:
        users = {u.email: u for u in (await session.exec(select(User))).all()}
    assert len(users) == 27
    assert users["admin@healthbook.local"].role is Role.ADMIN
    assert users["patient@healthbook.local"].role is Role.PATIENT
    doctors = [u for u in users.values() if u.role is Role.DOCTOR]
    assert len(doctors) == 24
    assert "dr.mueller@healthbook.local" in users
    assert "dr.pending@healthbook.local" in users
    for email, user in users.items():
        assert user.id == uuid.uuid5(uuid.NAMESPACE_URL, f"healthbook:user:{email}")
    ident = identity_runtime(database, MemoryCache())
    tokens = await service.login(
        ident=ident, email="dr.silva@healthbook.local", password="healthbook-demo",
        origin=service.Origin(),
    )  # fmt: skip
    assert tokens.user.role is Role.DOCTOR


async def test_create_admin_makes_an_admin_and_refuses_duplicates(api: Api) -> None:
    admin = await service.create_admin(
        db=api.ident.db, email="Root@Example.org", password="a strong secret", name="Root",
        hasher=CHEAP_FOR_TESTS,
    )  # fmt: skip
    assert admin.role is Role.ADMIN
    assert admin.email == "root@example.org"
    with pytest.raises(Conflict):
        await service.create_admin(
            db=api.ident.db, email="root@example.org", password="a strong secret", name="Root",
            hasher=CHEAP_FOR_TESTS,
        )  # fmt: skip
    with pytest.raises(BadUserInput):
        await service.create_admin(
            db=api.ident.db, email="two@example.org", password="password", name="Two",
            hasher=CHEAP_FOR_TESTS,
        )  # fmt: skip
    tokens = await api.login("root@example.org", "a strong secret")
    assert tokens["user"]["role"] == "ADMIN"


@pytest.fixture
def identity_settings() -> dict[str, Any]:
    return {"admin_email": "first@example.org", "admin_password": "first admin secret"}


async def test_the_first_admin_comes_from_the_environment_on_start(api: Api) -> None:
    tokens = await api.login("first@example.org", "first admin secret")
    assert tokens["user"]["role"] == "ADMIN"
    assert await service.ensure_first_admin(ident=api.ident) is None  # only once
    async with api.ident.db.session() as session:
        admins = (
            await session.exec(select(func.count()).select_from(User).where(User.role == "ADMIN"))
        ).one()
    assert admins == 1
