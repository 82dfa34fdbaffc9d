"""The `graphql-ws` npm client (what the apps use) subscribed through the router."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path

import pytest

from subgraphs.shared.auth import Role
from tests.router.subscriptions.support import federation, update
from tests.support.node import require_node_package
from tests.support.tokens import make_test_tokens

PHONE = Path(__file__).resolve().parents[2] / "e2e" / "phone.mjs"


@pytest.mark.node
@pytest.mark.timeout(90)
async def test_a_graphql_ws_client_gets_the_federated_event() -> None:
    modules = require_node_package("graphql-ws").parent
    authenticator, mint = make_test_tokens()
    token = f"Bearer {mint(uuid.uuid4(), Role.PATIENT)}"
    async with federation(authenticator=authenticator) as (appointments, address):
        phone = await asyncio.create_subprocess_exec(
            "node",
            str(PHONE),
            str(modules),
            f"ws://{address}/graphql",
            token,
            "RESCHEDULED",
            stdout=asyncio.subprocess.PIPE,
        )
        try:
            await asyncio.wait_for(appointments.connected.wait(), 30)
            await appointments.script.put(update())
            output, _ = await asyncio.wait_for(phone.communicate(), 30)
        finally:
            if phone.returncode is None:
                phone.kill()
                await phone.wait()
        events = [json.loads(line) for line in output.decode().splitlines()]
        assert phone.returncode == 0, events
        assert events[0] == {"event": "connected"}
        update_event = next(e for e in events if e["event"] == "next")
        appointment = update_event["payload"]["data"]["appointmentUpdates"]["appointment"]
        assert appointment["doctor"] == {
            "name": "Dr. Ada Lovelace",
            "specializations": [{"name": "Cardiology"}],
        }
        assert appointments.subscribed[0]["extensions"]["forwarded"]["authorization"] == token
