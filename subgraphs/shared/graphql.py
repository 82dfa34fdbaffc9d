"""Strawberry wiring shared by every subgraph: the schema factory, the context and the view."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import strawberry
from graphql import GraphQLError
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, SchemaExtension, ValidationCache
from strawberry.types.execution import ExecutionContext
from strawberry.utils.logging import StrawberryLogger

from subgraphs.shared.audit import caller as audit_caller
from subgraphs.shared.audit.refusals import AuditRefusals
from subgraphs.shared.auth import Principal
from subgraphs.shared.errors import (
    MaskUnexpectedErrors,
    ServiceUnavailable,
    Unauthenticated,
    is_expected,
)
from subgraphs.shared.input_checks import InputChecks
from subgraphs.shared.resources import Resources
from subgraphs.shared.shared_socket import PerSubscriptionCallers

FEDERATION_VERSION: Final = "2.9"  # @theguild/federation-composition 0.27 accepts up to v2.9


class Schema(strawberry.federation.Schema):
    """A federation schema that logs only unexpected errors (with their trace)."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        for error in errors:
            if not is_expected(error):
                StrawberryLogger.error(error, execution_context)


def build_schema(
    *,
    query: type,
    mutation: type | None = None,
    subscription: type | None = None,
    types: Iterable[type] = (),
    extensions: Sequence[type[SchemaExtension]] = (),
) -> Schema:
    """A federation 2 schema with parser/validation caches, input checks and error masking."""
    return Schema(
        query=query,
        mutation=mutation,
        subscription=subscription,
        types=types,
        extensions=[
            # Factories: Strawberry keeps the LRU caches at module level, across requests.
            lambda: ParserCache(maxsize=1000),
            lambda: ValidationCache(maxsize=1000),
            MaskUnexpectedErrors,
            InputChecks,
            AuditRefusals,
            *extensions,
        ],
        federation_version=FEDERATION_VERSION,
    )


@dataclass
class Context:
    """What every resolver gets as `info.context`."""

    request: Request | WebSocket
    response: Response | WebSocket | None
    resources: Resources
    principal: Principal | None = None
    connection_params: dict[str, Any] | None = None
    loaders: dict[str, Any] = field(default_factory=dict)

    def require(self) -> Principal:
        """The signed-in caller, or UNAUTHENTICATED."""
        if self.principal is None:
            raise Unauthenticated()
        return self.principal


class GraphQLView(GraphQL[Context, None]):
    """Strawberry's ASGI view with our context: resources and the caller's principal (over
    WebSocket, per subscription when the router multiplexes them: `shared_socket`)."""

    graphql_transport_ws_handler_class = PerSubscriptionCallers

    def __init__(self, schema: Schema, resources: Resources, *, graphiql: bool) -> None:
        super().__init__(schema, graphql_ide="graphiql" if graphiql else None, keep_alive=True)
        self.resources = resources

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = Headers(scope=scope)
            try:
                principal = await self.resources.authenticator.authenticate(
                    headers.get("authorization")
                )
            except (Unauthenticated, ServiceUnavailable) as error:
                body = {"errors": [{"message": error.message, "extensions": error.extensions}]}
                await JSONResponse(body, status_code=200)(scope, receive, send)
                return
            scope.setdefault("state", {})["principal"] = principal
            client = scope.get("client")
            audit_caller.bind(
                audit_caller.Caller(
                    user_id=principal.user_id if principal else None,
                    role=principal.role.value if principal else None,
                    client_address=audit_caller.client_address(
                        headers, client[0] if client else None
                    ),
                )
            )
        await super().__call__(scope, receive, send)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        context = Context(request=request, response=response, resources=self.resources)
        if isinstance(request, Request):
            context.principal = request.scope.get("state", {}).get("principal")
        return context

    async def on_ws_connect(self, context: Context) -> dict[str, object] | None:
        params = context.connection_params or {}
        raw = params.get("authorization") or params.get("Authorization")
        authorization = raw if isinstance(raw, str) else None
        if authorization is None and isinstance(context.request, WebSocket):
            authorization = context.request.headers.get("authorization")
        try:
            context.principal = await self.resources.authenticator.authenticate(authorization)
        except (Unauthenticated, ServiceUnavailable) as error:
            raise strawberry.exceptions.ConnectionRejectionError(
                {"message": error.message}
            ) from error
        return None
