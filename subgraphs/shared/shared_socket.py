"""graphql-transport-ws with a caller per subscription: the router multiplexes every client
subscription it runs on a subgraph over one socket (`router/subscriptions/multiplex.py`).

A `subscribe` whose `payload.extensions.forwarded` holds headers runs as the caller those
headers name, not as the socket's: `Authorization` is verified like an HTTP request's, the
audit caller is bound from it and `X-Forwarded-For`, and, when the subgraph requires router
signatures, `X-Healthbook-Signature` must be a fresh, unused signature of those headers and
of this operation (`signing.operation_bytes`), exactly as for an HTTP request. A refused
subscription gets an `error` message (UNAUTHENTICATED or FORBIDDEN, SERVICE_UNAVAILABLE when the
token or the nonce cannot be checked: the router's client subscribes again later); the socket
and the other subscriptions on it carry on. A `subscribe` without `forwarded` runs as the caller of
`connection_init` (clients speaking to a subgraph directly, tests).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from contextlib import aclosing, suppress
from typing import TYPE_CHECKING, Any, Final

from graphql import GraphQLFormattedError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    CompleteMessage,
    ErrorMessage,
    SubscribeMessage,
)

from subgraphs.shared import signing
from subgraphs.shared.audit import caller as audit_caller
from subgraphs.shared.errors import ServiceUnavailable, Unauthenticated, is_outage

if TYPE_CHECKING:
    from subgraphs.shared.cache import Cache
    from subgraphs.shared.graphql import Context

__all__ = ["PerSubscriptionCallers", "Refused"]

REFUSED_SIGNATURE = "Subscriptions must come through the router."
UNAVAILABLE: Final = "The service is unavailable right now; subscribe again later."
SHARED_SOCKET_LIMIT: Final = 100_000  # operations on one router socket


class Refused(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.error: GraphQLFormattedError = {"message": message, "extensions": {"code": code}}


class PerSubscriptionCallers(BaseGraphQLTransportWSHandler["Context", None]):
    """Strawberry's graphql-transport-ws handler, each `subscribe` with its own caller."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._forwarded: dict[str, dict[str, str]] = {}
        # Strawberry's per-socket limit (100) holds for a client's own subscriptions; the
        # router's shared socket carries every client subscription of a router process.
        self._own_limit = self.max_subscriptions_per_connection
        self.max_subscriptions_per_connection = SHARED_SOCKET_LIMIT

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        payload: Any = message.get("payload")
        extensions = payload.get("extensions") if isinstance(payload, dict) else None
        forwarded = extensions.get("forwarded") if isinstance(extensions, dict) else None
        mine = not isinstance(forwarded, dict)
        if mine and self._own_limit is not None and len(self.operations) >= self._own_limit:
            error: GraphQLFormattedError = {"message": "Subscription limit reached"}
            await self.send_message(ErrorMessage(id=message["id"], type="error", payload=[error]))
            return
        if isinstance(forwarded, dict) and message["id"] not in self.operations:
            self._forwarded[message["id"]] = {
                str(k).lower(): str(v) for k, v in forwarded.items() if isinstance(v, str)
            }
        await super().handle_subscribe(message)

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        forwarded = self._forwarded.pop(operation.id, None)
        if forwarded is None:
            await super().run_operation(operation)
            return
        try:
            context = await self._context_for(operation, forwarded)
        except Refused as refused:
            await operation.send_operation_message(
                ErrorMessage(id=operation.id, type="error", payload=[refused.error])
            )
            return
        try:
            result_source = await self.schema.stream(
                operation.query,
                variable_values=operation.variables,
                context_value=context,
                root_value=self.root_value,
                operation_name=operation.operation_name,
            )
            async with aclosing(result_source):
                await self._send_result_stream(operation, result_source)
            await operation.send_operation_message(
                CompleteMessage(id=operation.id, type="complete")
            )
        except Exception as error:
            await self.handle_task_exception(error)
            with suppress(Exception):
                await operation.send_operation_message({"id": operation.id, "type": "complete"})
            self.operations.pop(operation.id, None)
            raise

    async def _context_for(
        self, operation: Operation[Context, None], headers: Mapping[str, str]
    ) -> Context:
        """The operation's own context: its caller verified (and its signature, if required)."""
        resources = self.context.resources
        key = resources.settings.signing_key
        if key:
            header = headers.get(signing.SIGNATURE_HEADER)
            signed = signing.operation_bytes(
                {
                    "query": operation.query,
                    "variables": operation.variables,
                    "operationName": operation.operation_name,
                }
            )
            nonce = signing.nonce_of(header)
            if not signing.verify(header, signed, key=key, headers=headers) or nonce is None:
                raise Refused(REFUSED_SIGNATURE, "FORBIDDEN")
            if not await _first_use(resources.cache, nonce):
                raise Refused(REFUSED_SIGNATURE, "FORBIDDEN")
        try:
            principal = await resources.authenticator.authenticate(headers.get("authorization"))
        except Unauthenticated as error:
            raise Refused(error.message, "UNAUTHENTICATED") from None
        except ServiceUnavailable as error:
            raise Refused(error.message, "SERVICE_UNAVAILABLE") from None
        audit_caller.bind(
            audit_caller.Caller(
                user_id=principal.user_id if principal else None,
                role=principal.role.value if principal else None,
                client_address=audit_caller.client_address(headers, None),
            )
        )
        return dataclasses.replace(self.context, principal=principal, loaders={})


async def _first_use(cache: Cache, nonce: str) -> bool:
    """The nonce check; a cache that cannot be reached refuses the subscription to retry.
    (Raised out of `run_operation`, the outage ended the operation's task without a message,
    so the router's subscription stayed open and heard nothing, ever.)"""
    try:
        return await signing.NonceLedger(cache).first_use(nonce)
    except Exception as error:
        if is_outage(error):
            raise Refused(UNAVAILABLE, "SERVICE_UNAVAILABLE") from error
        raise
