"""Identical client subscriptions (same operation, variables and forwarded headers: one
user's devices) share one upstream subscription and one completed body per event; any
difference, another token above all, keeps them apart. With sharing turned off
(`ROUTER_SHARE_SUBSCRIPTIONS=false`) each client subscription has its own."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable

import pytest

from subgraphs.shared.auth import Role
from tests.router.subscriptions.support import SUBSCRIBE, federation, update
from tests.router.subscriptions.test_multiplexing import start_of
from tests.router.subscriptions.test_websocket import client, receive, send
from tests.support.tokens import make_test_tokens

pytestmark = pytest.mark.timeout(60)


async def until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(20):
        while not condition():
            await asyncio.sleep(0.01)


OTHER = "subscription { appointmentUpdates { action appointment { id start } } }"


async def test_one_users_devices_share_one_upstream_subscription_until_the_last_leaves() -> None:
    authenticator, mint = make_test_tokens()
    ann = f"Bearer {mint(uuid.uuid4(), Role.PATIENT)}"
    async with (
        federation(authenticator=authenticator) as (appointments, address),
        client(address, ann) as phone,
        client(address, ann) as tablet,
        client(address, ann) as laptop,
    ):
        devices = [phone, tablet, laptop]
        for device in devices:
            await receive(device)
        for device in devices[:2]:
            await send(device, {"id": "s1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        # The laptop asks for other fields: a subscription of its own.
        await send(laptop, {"id": "s1", "type": "subscribe", "payload": {"query": OTHER}})
        await appointments.wait_for(lambda: len(appointments.active) == 2)
        streams = appointments.router_streams.shared
        await until(lambda: streams.listening == 3)
        assert streams.running == 2
        assert len(appointments.subscribed) == 2
        await appointments.script.put(update(start="2030-01-12T09:00:00+00:00"))
        for device in devices:
            assert start_of(await receive(device)) == "2030-01-12T09:00:00+00:00"
        await send(phone, {"id": "s1", "type": "complete"})
        await send(tablet, {"type": "ping"})
        assert await receive(tablet) == {"type": "pong"}
        assert appointments.completed == []  # the tablet still listens
        await appointments.script.put(update(start="2030-01-13T09:00:00+00:00"))
        assert start_of(await receive(tablet)) == "2030-01-13T09:00:00+00:00"
        assert start_of(await receive(laptop)) == "2030-01-13T09:00:00+00:00"
        await send(tablet, {"id": "s1", "type": "complete"})
        await appointments.wait_for(lambda: len(appointments.completed) == 1)
        assert len(appointments.active) == 1  # the laptop's


async def test_two_users_with_the_same_operation_never_share_a_stream() -> None:
    authenticator, mint = make_test_tokens()
    tokens = [f"Bearer {mint(uuid.uuid4(), Role.PATIENT)}" for _ in range(2)]
    async with (
        federation(authenticator=authenticator) as (appointments, address),
        client(address, tokens[0]) as first,
        client(address, tokens[1]) as second,
    ):
        for socket in (first, second):
            await receive(socket)
            await send(socket, {"id": "s1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        await appointments.wait_for(lambda: len(appointments.active) == 2)
        callers = [p["extensions"]["forwarded"]["authorization"] for p in appointments.subscribed]
        assert sorted(callers) == sorted(tokens)


async def test_with_sharing_off_each_device_has_its_own_upstream_subscription() -> None:
    authenticator, mint = make_test_tokens()
    ann = f"Bearer {mint(uuid.uuid4(), Role.PATIENT)}"
    async with (
        federation(authenticator=authenticator, share_subscriptions=False) as (
            appointments,
            address,
        ),
        client(address, ann) as phone,
        client(address, ann) as tablet,
    ):
        assert appointments.router_streams.shared is None
        for device in (phone, tablet):
            await receive(device)
            await send(device, {"id": "s1", "type": "subscribe", "payload": {"query": SUBSCRIBE}})
        await appointments.wait_for(lambda: len(appointments.active) == 2)
        assert len(appointments.subscribed) == 2
        await appointments.script.put(update(start="2030-01-12T09:00:00+00:00"))
        for device in (phone, tablet):
            assert start_of(await receive(device)) == "2030-01-12T09:00:00+00:00"
        # The phone completing ends its own upstream subscription, not the tablet's.
        await send(phone, {"id": "s1", "type": "complete"})
        await appointments.wait_for(lambda: len(appointments.completed) == 1)
        assert len(appointments.active) == 1
        await appointments.script.put(update(start="2030-01-13T09:00:00+00:00"))
        assert start_of(await receive(tablet)) == "2030-01-13T09:00:00+00:00"
