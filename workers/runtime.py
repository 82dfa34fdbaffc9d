"""What actors run against: each component's resources, opened lazily on the worker's loop.

Dramatiq's AsyncIO middleware runs async actors on an event loop thread of its own, and
database connections belong to the loop that opened them, so a worker process opens its
own engines there rather than sharing the web servers'.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import dramatiq
from dramatiq.asyncio import get_event_loop_thread
from dramatiq.middleware import Middleware

from subgraphs.shared.auth import Authenticator
from subgraphs.shared.bus import EventBus
from subgraphs.shared.resources import Resources, Shared
from subgraphs.shared.settings import Settings


@dataclass
class Runtime:
    """Resources per component for the actors of one process."""

    settings: Settings
    shared: Shared | None = None
    bus: EventBus | None = None
    authenticator: Authenticator | None = None
    _opened: dict[tuple[int, str], Resources] = field(default_factory=dict)

    def resources(self, component: str) -> Resources:
        """The component's resources for the running event loop (opened on first use)."""
        key = (id(asyncio.get_running_loop()), component)
        if key not in self._opened:
            self._opened[key] = Resources.open(
                component,
                self.settings,
                shared=self.shared,
                bus=self.bus,
                authenticator=self.authenticator,
            )
        return self._opened[key]

    async def close(self) -> None:
        """Close the resources opened on the running loop."""
        loop_id = id(asyncio.get_running_loop())
        for key in [k for k in self._opened if k[0] == loop_id]:
            await self._opened.pop(key).close()

    def attach(self, broker: dramatiq.Broker) -> None:
        """Close the actors' resources when the worker shuts down, while its loop still runs."""
        broker.add_middleware(_CloseRuntime(self))


class _CloseRuntime(Middleware):
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def before_worker_shutdown(self, broker: dramatiq.Broker, worker: Any) -> None:
        thread = get_event_loop_thread()
        if thread is not None and thread.loop.is_running():
            thread.run_coroutine(self.runtime.close())
