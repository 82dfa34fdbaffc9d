"""The gateways benchmark's four subgraphs (accounts, inventory, products, reviews) in Python.

Resolver behaviour follows `workload/SEMANTICS.md` §4 exactly, quirks included:
`shippingEstimate` is always null, `Review.author` is always user 1 ("urigo") with reviews
1 and 2, and every `User` entity of reviews has reviews 1 and 2. Served by graphql-core
(parsed and validated documents cached) behind Starlette, one POST route per subgraph.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    build_schema,
    execute,
    parse,
    validate,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

__all__ = ["SUBGRAPHS", "WORKLOAD", "create_subgraphs_app"]

WORKLOAD = Path(__file__).parent / "workload"
SUBGRAPHS = ("accounts", "inventory", "products", "reviews")
Json = dict[str, Any]

_FEDERATION = """
directive @key(fields: String!) repeatable on OBJECT | INTERFACE
directive @external on FIELD_DEFINITION
directive @requires(fields: String!) on FIELD_DEFINITION
directive @provides(fields: String!) on FIELD_DEFINITION
scalar _Any
type _Service { sdl: String }
"""


def _data() -> Json:
    data: Json = orjson.loads((WORKLOAD / "data.json").read_bytes())
    return data


def _schema(name: str, entities: list[str]) -> GraphQLSchema:
    sdl = (WORKLOAD / "subgraphs" / f"{name}.graphql").read_text()
    sdl = "\n".join(line for line in sdl.splitlines() if not line.startswith("directive @"))
    sdl = sdl.replace("extend type", "type")
    query = "extend type Query" if "type Query" in sdl else "type Query"
    extra = f"""
union _Entity = {" | ".join(entities)}
{query} {{
  _entities(representations: [_Any!]!): [_Entity]!
  _service: _Service!
}}
"""
    schema = build_schema(_FEDERATION + sdl + extra)
    entity = schema.get_type("_Entity")
    entity.resolve_type = lambda obj, _info, _type: obj["__typename"]  # type: ignore[union-attr]
    return schema


def _find(rows: list[Json], field: str, value: Any) -> Json:
    for row in rows:
        if row[field] == value:
            return row
    raise GraphQLError(f"no row with {field} {value!r}")  # the Rust subgraph panics here


def _resolvers(name: str, data: Json) -> dict[str, Callable[..., Any]]:
    users, products, inventory, reviews = (
        data["users"],
        data["products"],
        data["inventory"],
        data["reviews"],
    )

    def review(row: Json) -> Json:
        return {
            "__typename": "Review",
            "id": row["id"],
            "body": row["body"],
            "product": lambda _info: product_reviews(row["product"]["upc"]),
            "author": lambda _info: {
                "__typename": "User",
                "id": "1",
                "username": "urigo",
                "reviews": [review(r) for r in reviews[0:2]],
            },
        }

    def product_reviews(upc: str) -> Json:
        return {
            "__typename": "Product",
            "upc": upc,
            "reviews": lambda _info: [review(r) for r in reviews if r["product"]["upc"] == upc],
        }

    def user(row: Json) -> Json:
        return {"__typename": "User", **row}

    def product(row: Json) -> Json:
        return {"__typename": "Product", **row}

    def top_products(_root: Any, _info: Any, first: int | None = 5) -> list[Json]:
        count = 5 if first is None else first
        return [product(p) for p in (products if count < 0 else products[:count])]

    def stock(row: Json) -> Json:
        # price and weight are null in inventory's own table, so the estimate is always null.
        return {"__typename": "Product", **row, "shippingEstimate": None}

    entity_resolvers: dict[str, Callable[[Json], Json]] = {
        "accounts": lambda rep: user(_find(users, "id", rep["id"])),
        "products": lambda rep: product(_find(products, "upc", rep["upc"])),
        "inventory": lambda rep: stock(_find(inventory, "upc", rep["upc"])),
        "reviews": lambda rep: (
            product_reviews(rep["upc"])
            if rep["__typename"] == "Product"
            else {
                "__typename": "User",
                "id": rep["id"],
                "username": "user",
                "reviews": [review(r) for r in reviews[0:2]],
            }
            if rep["__typename"] == "User"
            else review(_find(reviews, "id", rep["id"]))
        ),
    }
    resolve_entity = entity_resolvers[name]
    roots: dict[str, Callable[..., Any]] = {
        "_entities": lambda _root, _info, representations: [
            resolve_entity(rep) for rep in representations
        ],
        "_service": lambda _root, _info: {"sdl": ""},
    }
    if name == "accounts":
        roots["me"] = lambda _root, _info: user(users[0])
        roots["user"] = lambda _root, _info, id: next(
            (user(u) for u in users if u["id"] == id), None
        )
        roots["users"] = lambda _root, _info: [user(u) for u in users]
    if name == "products":
        roots["topProducts"] = top_products
    return roots


def _resolve_field(source: Any, info: Any, **args: Any) -> Any:
    value = source.get(info.field_name) if isinstance(source, dict) else None
    return value(info) if callable(value) else value


class _Subgraph:
    def __init__(self, name: str) -> None:
        self.name = name
        entities = {
            "accounts": ["User"],
            "inventory": ["Product"],
            "products": ["Product"],
            "reviews": ["Product", "Review", "User"],
        }[name]
        self.schema = _schema(name, entities)
        self.root = _resolvers(name, _data())
        self.documents: dict[str, DocumentNode | list[GraphQLError]] = {}
        # Answers by request body (the data never changes): a subgraph costing next to
        # nothing, so that the gateway is what the benchmark measures.
        self.memo: dict[bytes, bytes] | None = None

    def document(self, query: str) -> DocumentNode | list[GraphQLError]:
        cached = self.documents.get(query)
        if cached is None:
            try:
                document = parse(query)
            except GraphQLError as error:
                return [error]
            errors = validate(self.schema, document)
            cached = self.documents[query] = errors or document
        return cached

    async def handle(self, request: Request) -> Response:
        raw = await request.body()
        if self.memo is not None and (hit := self.memo.get(raw)) is not None:
            return Response(hit, media_type="application/json")
        answer = await self.answer(orjson.loads(raw))
        if self.memo is not None and answer.status_code == 200 and len(self.memo) < 10_000:
            self.memo[raw] = bytes(answer.body)
        return answer

    async def answer(self, body: Json) -> Response:
        document = self.document(body["query"])
        if isinstance(document, list):
            return Response(orjson.dumps({"errors": [e.formatted for e in document]}), 400)
        result = execute(
            self.schema,
            document,
            root_value=self.root_value(),
            variable_values=body.get("variables"),
            operation_name=body.get("operationName"),
            field_resolver=_resolve_field,
        )
        if inspect.isawaitable(result):
            result = await result
        out: Json = {"data": result.data}
        if result.errors:
            out["errors"] = [e.formatted for e in result.errors]
        return Response(orjson.dumps(out), media_type="application/json")

    def root_value(self) -> Json:
        return {k: _bind(v) for k, v in self.root.items()}


def _bind(resolver: Callable[..., Any]) -> Callable[[Any], Any]:
    return lambda info: resolver(None, info, **_arguments(info))


def _arguments(info: Any) -> Json:
    from graphql.execution.values import get_argument_values

    field_def = info.parent_type.fields[info.field_name]
    return get_argument_values(field_def, info.field_nodes[0], info.variable_values)


def create_subgraphs_app(*, memoize: bool = False) -> Starlette:
    """One app serving POST /accounts, /inventory, /products, /reviews and GET /health;
    `memoize` answers a body seen before from memory."""
    subgraphs = [_Subgraph(name) for name in SUBGRAPHS]
    for subgraph in subgraphs:
        subgraph.memo = {} if memoize else None
    routes = [Route(f"/{sub.name}", sub.handle, methods=["POST"]) for sub in subgraphs]

    async def health(_request: Request) -> Response:
        return PlainTextResponse("OK")

    return Starlette(routes=[*routes, Route("/health", health)])
