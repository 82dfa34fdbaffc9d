"""The request pipeline: parse → validate → plan → execute → shape, with caches on the way.

`Gateway` holds what lives as long as the supergraph: the API schema, the planner, the
document and plan caches and the subgraph client. Each stage is its own module; this one
only strings them together.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    execute_sync,
)
from graphql.language import DocumentNode

from router.cache import LRUCache
from router.document import PreparedOperation, RequestError, coerce_variables, prepare_operation
from router.executor import Json, execute_plan
from router.override_labels import OverrideLabels, Roll
from router.plan import Fetch, QueryPlan
from router.planner import Planner
from router.response import asked_errors, shape_response
from router.selection import PlanningError
from router.subgraph_client import SubgraphClient
from router.supergraph import Supergraph
from router.telemetry import name_operation, plan_span

__all__ = ["Gateway", "GraphQLRequest", "Outcome", "RequestError"]


@dataclass(frozen=True)
class GraphQLRequest:
    query: str
    operation_name: str | None = None
    variables: dict[str, Any] | None = None
    # Request extensions (e.g. `persistedQuery`), read by the edge.
    extensions: dict[str, Any] | None = None


@dataclass
class Outcome:
    """What the server sends back: the response body, and what it knows about the request."""

    body: Json
    operation_name: str | None = None
    # True when the request failed before execution (no `data` key at all).
    rejected: bool = False
    plan: QueryPlan | None = field(default=None, repr=False)


class Gateway:
    def __init__(
        self,
        supergraph: Supergraph,
        client: SubgraphClient,
        *,
        document_cache_size: int = 1000,
        plan_cache_size: int = 1000,
        override_labels: Iterable[str] = (),
        roll: Roll | None = None,
    ) -> None:
        """`override_labels`: progressive `@override` labels switched on for every request;
        `roll`: the random source (`[0, 1)`) deciding `percent(N)` labels per request."""
        self.supergraph = supergraph
        self.schema = supergraph.api_schema
        self.client = client
        self.planner = Planner(supergraph)
        self.labels = OverrideLabels.of(supergraph, override_labels)
        self.roll = roll or random.Random().random  # a traffic split, not a secret
        self.documents: LRUCache[tuple[str, str | None], PreparedOperation] = LRUCache(
            document_cache_size
        )
        self.plans: LRUCache[tuple[str, tuple[bool, ...], tuple[str, ...]], QueryPlan] = LRUCache(
            plan_cache_size
        )

    def prepare(self, request: GraphQLRequest) -> PreparedOperation:
        """Parse and validate (cached), or raise `RequestError`."""
        cache_key = (request.query, request.operation_name)
        prepared = self.documents.get(cache_key)
        if prepared is None:
            prepared = prepare_operation(self.schema, request.query, request.operation_name)
            self.documents.put(cache_key, prepared)
        return prepared

    def plan(
        self,
        prepared: PreparedOperation,
        variables: Mapping[str, Any],
        labels: frozenset[str] | None = None,
    ) -> QueryPlan:
        """The plan for this operation, these `@skip`/`@include` values and these active
        progressive `@override` labels (cached; without `labels`, this request's are rolled
        now: call it once per request)."""
        if labels is None:
            labels = self.labels.roll(self.roll) if self.labels.used else frozenset()
        conditions = tuple(bool(variables.get(v)) for v in prepared.condition_variables)
        key = (prepared.key, conditions, tuple(sorted(labels)))
        plan = self.plans.get(key)
        if plan is None:
            plan = self.planner.plan(prepared.operation, prepared.fragments, variables, labels)
            self.plans.put(key, plan)
        return plan

    async def execute(self, request: GraphQLRequest, *, headers: Mapping[str, str]) -> Outcome:
        """The whole pipeline for one request."""
        try:
            prepared = self.prepare(request)
        except RequestError as error:
            return rejected(error, request.operation_name)
        return await self.run(prepared, request.variables, headers=headers)

    async def run(
        self,
        prepared: PreparedOperation,
        raw_variables: dict[str, Any] | None,
        *,
        headers: Mapping[str, str],
    ) -> Outcome:
        """Execute a prepared operation; request errors come back as a rejected `Outcome`."""
        try:
            if prepared.kind == OperationType.SUBSCRIPTION:
                raise RequestError(
                    [_error("Subscriptions are not supported over this transport.")],
                    code="BAD_REQUEST",
                )
            variables = coerce_variables(self.schema, prepared, raw_variables)
            name_operation(prepared.name, prepared.kind.value)
            with plan_span():
                plan = self.plan(prepared, variables)
        except RequestError as error:
            return rejected(error, prepared.name)
        except PlanningError as error:
            failure: Json = {"message": str(error), "extensions": {"code": "QUERY_PLANNING_FAILED"}}
            return Outcome(body={"errors": [failure]}, operation_name=prepared.name, rejected=True)

        async def call(fetch: Fetch, body: Json) -> Json:
            return await self.client.fetch(fetch.subgraph, body, headers)

        data, errors = await execute_plan(plan, variables, call)
        data.update(self.introspect(prepared, variables))
        conditions = tuple(bool(variables.get(v)) for v in prepared.condition_variables)
        shaped = shape_response(
            self.schema,
            prepared.operation,
            prepared.fragments,
            variables,
            data,
            errors,
            prepared.shapes.setdefault(conditions, {}),
        )
        errors = asked_errors(errors, shaped)
        response: Json = {"errors": errors, "data": shaped} if errors else {"data": shaped}
        return Outcome(body=response, operation_name=prepared.name, plan=plan)

    def introspect(self, prepared: PreparedOperation, variables: dict[str, Any]) -> Json:
        """Answer `__schema`/`__type` root fields from the API schema itself."""
        selections = [
            s
            for s in prepared.operation.selection_set.selections
            if isinstance(s, FieldNode) and s.name.value in ("__schema", "__type")
        ]
        if not selections:
            return {}
        operation = OperationDefinitionNode(
            operation=OperationType.QUERY,
            variable_definitions=prepared.operation.variable_definitions,
            selection_set=SelectionSetNode(selections=tuple(selections)),
            directives=(),
        )
        document = DocumentNode(definitions=(operation, *prepared.fragments.values()))
        result = execute_sync(self.schema, document, variable_values=variables)
        return dict(result.data or {})


def rejected(error: RequestError, operation_name: str | None = None) -> Outcome:
    errors: list[Json] = []
    for e in error.errors:
        formatted: Json = dict(e.formatted)
        formatted.setdefault("extensions", {})
        formatted["extensions"] = {"code": error.code, **formatted["extensions"]}
        errors.append(formatted)
    return Outcome(body={"errors": errors}, operation_name=operation_name, rejected=True)


def _error(message: str) -> GraphQLError:
    return GraphQLError(message)
