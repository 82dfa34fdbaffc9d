"""The appointments subgraph's composition root."""

from __future__ import annotations

from collections.abc import Coroutine, Sequence
from typing import Any

from starlette.routing import BaseRoute

from subgraphs.appointments import wiring
from subgraphs.appointments.schema import TYPES, Mutation, Query, Subscription
from subgraphs.appointments.service import waitlist_offers
from subgraphs.shared.app import SubgraphSpec, schema_factory
from subgraphs.shared.resources import Resources


def _start(resources: Resources) -> Sequence[BaseRoute]:
    # Called once when the app is assembled: reads this subgraph's settings (failing loudly)
    # and keeps the use cases' collaborators on the resources. No extra routes.
    wiring.install(resources)
    return ()


def _background(resources: Resources) -> Sequence[Coroutine[Any, Any, None]]:
    # Waitlist offers past their hold are recorded EXPIRED and their slots passed on.
    return (waitlist_offers.run_sweeper(wiring.install(resources)),)


SPEC = SubgraphSpec(
    name="appointments",
    schema=schema_factory(query=Query, mutation=Mutation, subscription=Subscription, types=TYPES),
    routes=_start,
    background=_background,
)
