"""Small SDL-first federation subgraphs for tests and benchmarks (graphql-core behind Starlette).

Give it a Federation 2 subgraph SDL (as composed) plus Python resolvers, and it serves
`POST /` with `_entities` and `_service` added, the way a real subgraph would.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from graphql import (
    DirectiveDefinitionNode,
    DocumentNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLResolveInfo,
    GraphQLSchema,
    GraphQLUnionType,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    TypeDefinitionNode,
    build_schema,
    execute,
    parse,
    print_ast,
    validate,
)
from starlette.requests import Request
from starlette.responses import Response

__all__ = ["SubgraphSpec", "executable_schema"]

Json = dict[str, Any]
Resolver = Callable[..., Any]

_DEFINITIONS = """
directive @link(url: String!, as: String, import: [link__Import], for: link__Purpose)
  repeatable on SCHEMA
scalar link__Import
enum link__Purpose { SECURITY EXECUTION }
scalar FieldSet
directive @key(fields: FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE
directive @requires(fields: FieldSet!) on FIELD_DEFINITION
directive @provides(fields: FieldSet!) on FIELD_DEFINITION
directive @external(reason: String) on OBJECT | FIELD_DEFINITION
directive @shareable repeatable on OBJECT | FIELD_DEFINITION
directive @override(from: String!, label: String) on FIELD_DEFINITION
directive @interfaceObject on OBJECT
directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION
  | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION
  | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION
scalar _Any
type _Service { sdl: String }
"""


@dataclass
class SubgraphSpec:
    """A subgraph: its SDL, root/field resolvers ("Query.me") and entity resolvers by type.

    Objects are dicts; a value that is callable is called with `info` when read. Entity
    resolvers take the representation and return the object (or None).
    """

    name: str
    sdl: str
    resolvers: Mapping[str, Resolver] = field(default_factory=dict)
    entities: Mapping[str, Callable[[Json], Any]] = field(default_factory=dict)
    # Every request body this subgraph received, for tests that look at what was sent.
    received: list[Json] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.schema = executable_schema(self.sdl, list(self.entities))
        self._documents: dict[str, DocumentNode | list[GraphQLError]] = {}

    def document(self, query: str) -> DocumentNode | list[GraphQLError]:
        cached = self._documents.get(query)
        if cached is None:
            try:
                document = parse(query)
            except GraphQLError as error:
                return [error]
            cached = self._documents[query] = validate(self.schema, document) or document
        return cached

    async def handle(self, request: Request) -> Response:
        body = orjson.loads(await request.body())
        self.received.append(body)
        self.headers.append(dict(request.headers))
        document = self.document(body["query"])
        if isinstance(document, list):
            return Response(orjson.dumps({"errors": [e.formatted for e in document]}), 400)
        result = execute(
            self.schema,
            document,
            root_value={},
            variable_values=body.get("variables"),
            operation_name=body.get("operationName"),
            field_resolver=self.resolve,
        )
        if inspect.isawaitable(result):
            result = await result
        out: Json = {"data": result.data}
        if result.errors:
            out["errors"] = [e.formatted for e in result.errors]
        return Response(orjson.dumps(out), media_type="application/json")

    def resolve(self, source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        coordinate = f"{info.parent_type.name}.{info.field_name}"
        if info.field_name == "_entities":
            return [self.entity(rep) for rep in args["representations"]]
        if info.field_name == "_service":
            return {"sdl": self.sdl}
        resolver = self.resolvers.get(coordinate)
        if resolver is not None:
            return resolver(source, info, **args)
        value = source.get(info.field_name) if isinstance(source, dict) else None
        return value(info) if callable(value) else value

    def entity(self, representation: Json) -> Any:
        typename = representation["__typename"]
        found = self.entities[typename](representation)
        if isinstance(found, dict) and "__typename" not in found:
            found = {"__typename": typename, **found}
        return found


def executable_schema(sdl: str, entity_types: list[str] | None = None) -> GraphQLSchema:
    """A graphql-core schema for a Federation 2 subgraph SDL, with `_entities` and `_service`.

    SDLs that already print the federation machinery (Strawberry's) are taken as they are.
    """
    document = parse(sdl)
    defined = {
        d.name.value
        for d in document.definitions
        if isinstance(d, TypeDefinitionNode | DirectiveDefinitionNode)
    }
    definitions = [
        d
        for d in parse(_DEFINITIONS).definitions
        if isinstance(d, TypeDefinitionNode | DirectiveDefinitionNode)
        and d.name.value not in defined
    ]
    if entity_types is None:
        entity_types = _keyed_types(document)
    extra = ""
    if "_Service" not in defined:
        query = "extend type Query" if "Query" in defined else "type Query"
        extra = f"{query} {{ _service: _Service! }}\n"
        if entity_types:
            extra += f"union _Entity = {' | '.join(entity_types)}\n"
            extra += "extend type Query { _entities(representations: [_Any!]!): [_Entity]! }\n"
    prelude = "\n".join(print_ast(d) for d in definitions)
    sdl = _extensions_as_definitions(document, defined)
    schema = build_schema(prelude + "\n" + sdl + "\n" + extra, assume_valid_sdl=True)
    for type_ in schema.type_map.values():
        if isinstance(type_, GraphQLInterfaceType | GraphQLUnionType):
            type_.resolve_type = _typename
    return schema


def _extensions_as_definitions(document: DocumentNode, defined: set[str]) -> str:
    """The SDL with each `extend type X` of a type defined nowhere else as `type X` (a
    Federation 1 style subgraph extends entities it only references)."""
    seen: set[str] = set()
    definitions = []
    for node in document.definitions:
        if (
            isinstance(node, ObjectTypeExtensionNode)
            and node.name.value not in defined
            and node.name.value not in seen
        ):
            seen.add(node.name.value)
            node = ObjectTypeDefinitionNode(
                name=node.name,
                interfaces=node.interfaces,
                directives=node.directives,
                fields=node.fields,
            )
        definitions.append(node)
    return print_ast(DocumentNode(definitions=tuple(definitions)))


def _keyed_types(document: DocumentNode) -> list[str]:
    names: dict[str, None] = {}
    for definition in document.definitions:
        directives = getattr(definition, "directives", None) or ()
        if isinstance(definition, ObjectTypeDefinitionNode | ObjectTypeExtensionNode) and any(
            d.name.value == "key" for d in directives
        ):
            names[definition.name.value] = None
    return list(names)


def _typename(value: Any, _info: GraphQLResolveInfo, _type: Any) -> str | None:
    if isinstance(value, dict):
        name = value.get("__typename")
        return name if isinstance(name, str) else None
    return None
