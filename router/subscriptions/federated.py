"""One client subscription through the federation: plan it, subscribe on the subgraph that
owns the root field, and complete every event with the fields other subgraphs own."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from router.document import PreparedOperation
from router.executor import Json, execute_plan
from router.gateway import Gateway
from router.plan import Fetch, QueryPlan
from router.response import asked_errors, shape_response

__all__ = ["Opener", "federated_events"]

# Opens the upstream subscription: (subgraph, request body) → its `next` payloads.
Opener = Callable[[str, Json], AsyncIterator[Json]]
# Fetches from a subgraph over HTTP (entity fetches for each event).
Fetcher = Callable[[str, Json], Awaitable[Json]]


async def federated_events(
    gateway: Gateway,
    prepared: PreparedOperation,
    variables: dict[str, Any],
    *,
    open_upstream: Opener,
    fetch: Fetcher,
) -> AsyncIterator[Json]:
    """Each event as the client's response body (`variables` already coerced). Raises
    `PlanningError` before subscribing, `UpstreamFailed` when the subgraph's stream fails."""
    plan = gateway.plan(prepared, variables)
    roots = [f for f in plan.fetches if not f.path and not f.is_entity_fetch]
    if len(roots) != 1:
        raise ValueError("a subscription has exactly one root field")
    root = roots[0]
    operation = root.operation
    if operation.startswith("query"):
        operation = "subscription" + operation[len("query") :]
    body: Json = {"query": operation}
    root_variables = {v: variables[v] for v in root.variables if v in variables}
    if root_variables:
        body["variables"] = root_variables
    async for event in open_upstream(root.subgraph, body):
        yield await _complete(gateway, prepared, plan, variables, event, root, fetch)


async def _complete(
    gateway: Gateway,
    prepared: PreparedOperation,
    plan: QueryPlan,
    variables: dict[str, Any],
    event: Json,
    root: Fetch,
    fetch: Fetcher,
) -> Json:
    """The client's body for one event: the event is the root fetch's answer, the rest of
    the plan runs as for a query."""
    if not isinstance(event.get("data"), dict):
        return {"errors": event.get("errors") or [{"message": "The event had no data."}]}

    async def call(planned: Fetch, body: Json) -> Json:
        if planned.id == root.id:
            return event
        return await fetch(planned.subgraph, body)

    data, errors = await execute_plan(plan, variables, call)
    shaped = shape_response(
        gateway.schema, prepared.operation, prepared.fragments, variables, data, errors
    )
    errors = asked_errors(errors, shaped)
    return {"errors": errors, "data": shaped} if errors else {"data": shaped}
