"""Every client subscription the router runs on a subgraph shares one upstream socket: each
subscribe carries its own caller (signed with the operation), events go only to the
subscription they are addressed to, a client completing ends only its own, and a dropped
socket is reopened with every active subscription subscribed again."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from subgraphs.shared.auth import Role
from tests.router.subscriptions.support import SUBSCRIBE, federation, update
from tests.router.subscriptions.test_websocket import client, receive, send
from tests.support.tokens import make_test_tokens

pytestmark = pytest.mark.timeout(60)


def start_of(message: Any) -> str:
    assert message["type"] == "next", message
    return str(message["payload"]["data"]["appointmentUpdates"]["appointment"]["start"])


def upstream_id_of(appointments: Any, token: str) -> str:
    """The upstream operation id of the (active) subscription made with `token`."""
    return str(
        next(
            operation_id
            for operation_id, payload in appointments.active.items()
            if payload["extensions"]["forwarded"]["authorization"] == token
        )
    )


async def test_two_users_share_one_socket_each_with_their_own_token_and_events() -> None:
    authenticator, mint = make_test_tokens()
    ann = f"Bearer {mint(uuid.uuid4(), Role.PATIENT)}"
    bob = f"Bearer {mint(uuid.uuid4(), Role.PATIENT)}"
    async with (
        federation(authenticator=authenticator) as (appointments, address),
        client(address, ann) as ann_socket,
        client(address, bob) as bob_socket,
    ):
        for socket in (ann_socket, bob_socket):
            assert await receive(socket) == {"type": "connection_ack"}
            await send(socket, {"id": "s1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        await appointments.wait_for(lambda: len(appointments.active) == 2)
        assert len(appointments.signed) == 1  # one socket for both
        assert appointments.inits == [{}]
        assert appointments.signed_subscriptions == [True, True]
        callers = {p["extensions"]["forwarded"]["authorization"] for p in appointments.subscribed}
        assert callers == {ann, bob}
        await appointments.script.put(
            ("next", upstream_id_of(appointments, bob), update(start="2030-01-08T10:00:00+00:00"))
        )
        await appointments.script.put(
            ("next", upstream_id_of(appointments, ann), update(start="2030-01-09T11:00:00+00:00"))
        )
        assert start_of(await receive(bob_socket)) == "2030-01-08T10:00:00+00:00"
        assert start_of(await receive(ann_socket)) == "2030-01-09T11:00:00+00:00"
        # Nothing else reached either of them: the next thing each hears is its own pong.
        for socket in (ann_socket, bob_socket):
            await send(socket, {"type": "ping"})
            assert await receive(socket) == {"type": "pong"}


async def test_a_client_completing_ends_only_its_own_upstream_subscription() -> None:
    authenticator, mint = make_test_tokens()
    ann = f"Bearer {mint(uuid.uuid4(), Role.PATIENT)}"
    bob = f"Bearer {mint(uuid.uuid4(), Role.PATIENT)}"
    async with (
        federation(authenticator=authenticator) as (appointments, address),
        client(address, ann) as ann_socket,
        client(address, bob) as bob_socket,
    ):
        for socket in (ann_socket, bob_socket):
            await receive(socket)
            await send(socket, {"id": "s1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        await appointments.wait_for(lambda: len(appointments.active) == 2)
        ann_upstream = upstream_id_of(appointments, ann)
        await send(ann_socket, {"id": "s1", "type": "complete"})
        await appointments.wait_for(lambda: appointments.completed == [ann_upstream])
        assert list(appointments.active) == [upstream_id_of(appointments, bob)]
        await appointments.script.put(update(start="2030-01-10T09:00:00+00:00"))
        assert start_of(await receive(bob_socket)) == "2030-01-10T09:00:00+00:00"
        await send(ann_socket, {"type": "ping"})
        assert await receive(ann_socket) == {"type": "pong"}  # no event for Ann
        assert len(appointments.signed) == 1


async def test_a_dropped_socket_is_reopened_and_every_active_subscription_resubscribed() -> None:
    authenticator, mint = make_test_tokens()
    tokens = [f"Bearer {mint(uuid.uuid4(), Role.PATIENT)}" for _ in range(3)]
    async with (
        federation(authenticator=authenticator) as (appointments, address),
        client(address, tokens[0]) as first,
        client(address, tokens[1]) as second,
        client(address, tokens[2]) as third,
    ):
        sockets = [first, second, third]
        for socket in sockets:
            await receive(socket)
            await send(socket, {"id": "s1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        await appointments.wait_for(lambda: len(appointments.active) == 3)
        await send(third, {"id": "s1", "type": "complete"})  # no longer active: not resent
        await appointments.wait_for(lambda: len(appointments.active) == 2)
        await appointments.script.put("drop")
        await appointments.wait_for(
            lambda: len(appointments.signed) == 2 and len(appointments.active) == 2
        )
        assert appointments.signed == [True, True]
        resent = appointments.subscribed[3:]
        assert {p["extensions"]["forwarded"]["authorization"] for p in resent} == set(tokens[:2])
        assert appointments.signed_subscriptions == [True] * 5  # signed afresh (new nonces)
        nonces = {p["extensions"]["forwarded"]["x-healthbook-signature"] for p in resent}
        assert len(nonces) == 2
        await appointments.script.put(update(start="2030-01-11T09:00:00+00:00"))
        for socket in (first, second):
            assert start_of(await receive(socket)) == "2030-01-11T09:00:00+00:00"


async def test_a_subgraph_that_stays_down_after_a_drop_ends_each_subscription_with_an_error() -> (
    None
):
    async with federation() as (appointments, address), client(address, None) as socket:
        await receive(socket)
        await send(socket, {"id": "s1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        await asyncio.wait_for(appointments.connected.wait(), 20)
        appointments.refuse = True
        await appointments.script.put("drop")
        message = await receive(socket)
        assert message["type"] == "error"
        assert message["id"] == "s1"
        assert message["payload"][0]["extensions"]["code"] == "SUBSCRIPTION_UPSTREAM_FAILED"
