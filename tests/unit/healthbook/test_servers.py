"""The embedded mode's servers run on uvloop."""

from __future__ import annotations

import asyncio

import uvloop

from healthbook.servers import run_on_uvloop


async def _loop_type() -> type[asyncio.AbstractEventLoop]:
    return type(asyncio.get_running_loop())


def test_servers_coroutine_runs_on_uvloop() -> None:
    assert run_on_uvloop(_loop_type()) is uvloop.Loop


def test_coroutine_result_is_returned() -> None:
    async def answer() -> int:
        await asyncio.sleep(0)
        return 42

    assert run_on_uvloop(answer()) == 42
