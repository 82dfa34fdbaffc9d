"""One process per component against PostgreSQL, RabbitMQ and Redis (the distributed mode)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text

from subgraphs.identity.credentials.keys import private_pem
from subgraphs.shared.database import Database
from subgraphs.shared.signing import SIGNATURE_HEADER, sign
from tests.support import services
from tests.support.processes import free_ports, healthbook, wait_ready
from tests.support.rabbitmq import private_vhost
from tests.support.stores import create_empty_postgres, drop_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq, pytest.mark.redis]
KEY = "distributed-test-signing-key"


@pytest.fixture
def amqp_url() -> Iterator[str]:
    with private_vhost() as url:
        yield url


@pytest.fixture
async def identity_url() -> AsyncIterator[str]:
    services.require("PostgreSQL", services.POSTGRES)
    url = await create_empty_postgres("identity")
    yield url
    await drop_postgres(url)


async def test_serve_runs_a_subgraph_on_postgres_rabbitmq_and_redis(
    tmp_path: Path, amqp_url: str, identity_url: str
) -> None:
    services.require("Redis", services.REDIS)
    ports = free_ports()
    env = {
        **ports,
        "HEALTHBOOK_ENV": "production",
        "HEALTHBOOK_DATA_DIR": str(tmp_path / "data"),
        "HEALTHBOOK_SIGNING_KEY": KEY,
        "BROKER_URL": amqp_url,
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "REDIS_PREFIX": f"hb-test:{uuid.uuid4().hex[:8]}:",
        "IDENTITY_DATABASE_URL": identity_url,
        "OUTBOX_POLL_SECONDS": "0.2",
        "LOG_LEVEL": "WARNING",
        "JWT_PRIVATE_KEY": private_pem(Ed25519PrivateKey.generate()).decode(),
    }
    migrate_log = tmp_path / "migrate.log"
    with healthbook(["migrate", "identity"], env, migrate_log) as migrating:
        assert await asyncio.to_thread(migrating.wait, 120) == 0, migrate_log.read_text()

    log = tmp_path / "identity.log"
    with healthbook(["serve", "identity"], env, log) as process:
        ready = f"http://127.0.0.1:{ports['IDENTITY_PORT']}/health/ready"
        await asyncio.to_thread(wait_ready, ready, process, log)
        async with httpx.AsyncClient() as client:
            checks = (await client.get(ready)).json()["checks"]
            assert checks == {"database": "up", "cache": "up", "broker": "up"}
            body = orjson.dumps(
                {
                    "query": "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }",
                    "variables": {
                        "i": {
                            "email": "dee@example.org",
                            "password": "a long secret",
                            "name": "Dee",
                        }
                    },
                }
            )
            response = await client.post(
                f"http://127.0.0.1:{ports['IDENTITY_PORT']}/graphql",
                content=body,
                headers={"content-type": "application/json", SIGNATURE_HEADER: sign(body, key=KEY)},
            )
            assert "errors" not in response.json(), response.text
        database = Database.from_url(identity_url)
        try:
            for _ in range(100):
                async with database.engine.connect() as connection:
                    status = (
                        await connection.execute(
                            text(
                                "SELECT status FROM outbox_messages "
                                "WHERE event_type = 'UserRegistered'"
                            )
                        )
                    ).scalar_one()
                if status == "SENT":
                    break
                await asyncio.sleep(0.1)
        finally:
            await database.dispose()
        assert status == "SENT"
