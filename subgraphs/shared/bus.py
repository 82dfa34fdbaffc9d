"""The job and event bus: Dramatiq over RabbitMQ (distributed) or its StubBroker (embedded).

Events fan out by routing: the relay enqueues one message per consumer component on that
component's queue (`<component>.events`), so every interested consumer gets every event
it subscribed to, on either broker, with Dramatiq's retries, back-off and dead letters.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import dramatiq
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import (
    AgeLimit,
    AsyncIO,
    Callbacks,
    Middleware,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)

from subgraphs.shared.events import EventEnvelope
from subgraphs.shared.settings import Settings


def event_queue(component: str) -> str:
    """The queue a component's event consumer reads."""
    return f"{component}.events"


def event_actor(component: str) -> str:
    """The actor name of a component's event consumer."""
    return f"{component}.handle_event"


def build_broker(settings: Settings, *, url: str | None = None) -> dramatiq.Broker:
    """RabbitMQ with publisher confirms when a broker URL is set, else the in-process broker."""
    middleware: list[Middleware] = [
        AgeLimit(),
        TimeLimit(time_limit=120_000),
        ShutdownNotifications(),
        Callbacks(),
        Pipelines(),
        Retries(
            max_retries=settings.job_max_retries,
            min_backoff=settings.job_min_backoff_ms,
            max_backoff=settings.job_max_backoff_ms,
        ),
        AsyncIO(),
    ]
    broker_url = settings.broker_url if url is None else url
    if broker_url:
        return RabbitmqBroker(url=broker_url, confirm_delivery=True, middleware=middleware)
    return StubBroker(middleware=middleware)


@dataclass(frozen=True)
class EventBus:
    """Publishes event envelopes to every consumer routed to their type."""

    broker: dramatiq.Broker
    routes: Mapping[str, Sequence[str]]

    def keep_alive(self) -> None:
        """Answer the broker's heartbeats on this thread's publisher connection, if it has one.

        A blocking pika connection only handles heartbeats while it is used: a publisher idle
        for longer than the heartbeat timeout was dropped by RabbitMQ (StreamLostError at
        the next publish). A connection that turns out dead is dropped here, so that the
        next publish opens a fresh one.
        """
        if not isinstance(self.broker, RabbitmqBroker):
            return
        connection = getattr(self.broker.state, "connection", None)
        if connection is None:
            return
        try:
            connection.process_data_events(time_limit=0)
        except Exception:
            del self.broker.connection

    def consumers_of(self, event_type: str) -> Sequence[str]:
        return self.routes.get(event_type, ())

    def publish(self, envelope: EventEnvelope) -> int:
        """Enqueue the event for each consumer; blocks until the broker confirms each message.

        Returns how many messages were enqueued. Raises when the broker refuses or cannot be
        reached, so that the caller keeps the event for a later attempt.
        """
        body = envelope.to_dict()
        consumers = self.consumers_of(envelope.type)
        for component in consumers:
            self.broker.enqueue(
                dramatiq.Message(
                    queue_name=event_queue(component),
                    actor_name=event_actor(component),
                    args=(body,),
                    kwargs={},
                    options={},
                    # The same event always has the same message id per consumer, which makes
                    # re-publication after a lost confirm visible in the broker's logs.
                    message_id=f"{envelope.id}:{component}",
                )
            )
        return len(consumers)
