"""`Traffic`: an app served on loopback knows when no request is in flight or arriving."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from router.testing.servers import OPERATION_TAG, Traffic, running


def test_waiting_for_quiet_waits_for_the_request_in_flight_and_then_returns() -> None:
    release = threading.Event()

    async def slow(_request: Request) -> PlainTextResponse:
        while not release.is_set():
            await asyncio.sleep(0.01)
        return PlainTextResponse("done")

    traffic = Traffic(Starlette(routes=[Route("/", slow, methods=["POST"])]))
    with running(traffic) as base:
        traffic.wait_until_quiet(settle=0.01)
        answers: list[str] = []
        client = threading.Thread(target=lambda: answers.append(httpx.post(base).text))
        client.start()
        while traffic.in_flight == 0:
            threading.Event().wait(0.01)
        with pytest.raises(TimeoutError):
            traffic.wait_until_quiet(settle=0.01, timeout=0.2)
        release.set()
        traffic.wait_until_quiet(settle=0.01)
        client.join()
        assert traffic.in_flight == 0
        assert answers == ["done"]


def test_requests_are_counted_per_operation_tag_and_untagged_apart() -> None:
    async def ok(_request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    traffic = Traffic(Starlette(routes=[Route("/", ok, methods=["POST"])]))
    with running(traffic) as base, httpx.Client() as client:
        client.post(base, headers={OPERATION_TAG: "a"})
        client.post(base)
        client.post(base, headers={OPERATION_TAG: "a"})
        client.post(base, headers={OPERATION_TAG: "b"})
        traffic.wait_until_quiet(settle=0.01)
    assert traffic.tagged == {"a": 2, "b": 1}
    assert traffic.untagged == 1
