"""Event consumer actors: one per component, reading `<component>.events`.

A component consumes events by having a `consumers` module with `HANDLED_EVENTS` and
`async def handle(envelope, resources)`. The routing table the relays publish by is derived
from the same modules, so a consumer and its subscriptions cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import dramatiq
from opentelemetry import trace

from subgraphs.shared import telemetry
from subgraphs.shared.bus import event_actor, event_queue
from subgraphs.shared.errors import is_outage
from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.logs import hide_message_arguments
from subgraphs.shared.modules import optional_module
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import COMPONENTS
from workers.runtime import Runtime

_TRACER = telemetry.tracer("healthbook.workers")
Handler = Callable[[EventEnvelope, Resources], Awaitable[None]]


@dataclass(frozen=True)
class Consumer:
    component: str
    handled_events: frozenset[str]
    handle: Handler


def load_consumers(components: tuple[str, ...] = COMPONENTS) -> dict[str, Consumer]:
    """The consumers of the components that have a `consumers` module."""
    found: dict[str, Consumer] = {}
    for component in components:
        module = optional_module(f"subgraphs.{component}.consumers")
        if module is None:
            continue
        found[component] = Consumer(
            component=component,
            handled_events=frozenset(module.HANDLED_EVENTS),
            handle=module.handle,
        )
    return found


def event_routes(consumers: Mapping[str, Consumer]) -> dict[str, tuple[str, ...]]:
    """Event type → the components that consume it."""
    routes: dict[str, list[str]] = {}
    for component, consumer in sorted(consumers.items()):
        for event_type in consumer.handled_events:
            routes.setdefault(event_type, []).append(component)
    return {event_type: tuple(names) for event_type, names in routes.items()}


def retry_while_down(max_retries: int) -> Callable[[int, BaseException], bool]:
    """Dramatiq's `retry_when` for event consumers: an event whose consumer could not reach a
    dependency (its database, Redis, another subgraph) is retried with the usual back-off for
    as long as the outage lasts; any other failure keeps the `max_retries` budget.

    Without it a 30 s PostgreSQL cut outlasted the default budget (5 retries, about 31 s of
    back-off) and dead-lettered events that would have been handled once the database was
    back (bench/FAULTS.md, the long form of the replicas-and-faults suite).
    """

    def retry_when(retries: int, error: BaseException) -> bool:
        return is_outage(error) or retries < max_retries

    return retry_when


def declare(
    broker: dramatiq.Broker, runtime: Runtime, consumers: Mapping[str, Consumer]
) -> list[dramatiq.Actor[Any, Any]]:
    """Declare one event-consumer actor per component on `broker`."""
    actors: list[dramatiq.Actor[Any, Any]] = []
    for component, consumer in consumers.items():

        async def handle_event(body: dict[str, Any], _consumer: Consumer = consumer) -> None:
            envelope = EventEnvelope.from_dict(body)
            if envelope.type not in _consumer.handled_events:
                return
            # Continue the trace of the request that caused the event.
            parent = telemetry.extract({"traceparent": envelope.traceparent or ""})
            with _TRACER.start_as_current_span(
                f"consume {envelope.type}",
                context=parent,
                kind=trace.SpanKind.CONSUMER,
                attributes={
                    "messaging.message.id": envelope.id,
                    "healthbook.consumer": _consumer.component,
                },
            ):
                await _consumer.handle(envelope, runtime.resources(_consumer.component))

        actors.append(
            dramatiq.Actor(
                handle_event,
                broker=broker,
                actor_name=event_actor(component),
                queue_name=event_queue(component),
                priority=0,
                options={"retry_when": retry_while_down(runtime.settings.job_max_retries)},
            )
        )
    hide_message_arguments(actor.logger for actor in actors)
    return actors
