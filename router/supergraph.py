"""Read a supergraph SDL: which subgraph owns which type and field, and where it lives.

The supergraph is Apollo Federation's `join/v0.3` to `v0.5` format linked with `link/v1.0`.
The reader keeps the federation metadata as plain data (`Supergraph`) beside the two
schemas the router needs: the full supergraph schema (for planning, inaccessible elements
included) and the public API schema (for validating client operations).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from graphql import (
    BooleanValueNode,
    ConstDirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumValueNode,
    GraphQLSchema,
    ListValueNode,
    NullValueNode,
    ObjectValueNode,
    SchemaDefinitionNode,
    StringValueNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    ValueNode,
    build_ast_schema,
    parse,
)

from router.api_schema import build_api_schema
from router.config import env_name
from router.links import LinkedSpecs, read_links

__all__ = [
    "ContextArgument",
    "FieldJoin",
    "Graph",
    "Supergraph",
    "SupergraphError",
    "TypeJoin",
    "load_supergraph",
    "read_supergraph",
]

SUPPORTED_JOIN_VERSIONS = ("v0.3", "v0.4", "v0.5")


class SupergraphError(ValueError):
    """The supergraph SDL is not one the router can serve."""


@dataclass(frozen=True)
class Graph:
    """One subgraph: its `join__Graph` enum value, its name and its URL."""

    id: str
    name: str
    url: str


@dataclass(frozen=True)
class TypeJoin:
    """One `@join__type`: the type exists in `graph`, maybe as an entity with `key`."""

    graph: str
    key: str | None = None
    resolvable: bool = True
    is_interface_object: bool = False
    extension: bool = False


@dataclass(frozen=True)
class ContextArgument:
    """An argument a subgraph takes `@fromContext`: `selection` on the nearest ancestor of a
    type setting `context` (`@context`), sent as the argument `name` of type `type`."""

    context: str
    name: str
    type: str
    selection: str


@dataclass(frozen=True)
class FieldJoin:
    """One `@join__field`: how `graph` contributes to a field."""

    graph: str | None
    requires: str | None = None
    provides: str | None = None
    type: str | None = None
    external: bool = False
    override: str | None = None
    used_overridden: bool = False
    # Progressive @override: on the overriding join (with `override`) it resolves while the
    # label is active; on the overridden one while it is not (router.ownership.label_active).
    override_label: str | None = None
    context_arguments: tuple[ContextArgument, ...] = ()


@dataclass(frozen=True)
class Supergraph:
    """The federation metadata of a supergraph, with its full and public schemas."""

    sdl: str
    schema: GraphQLSchema
    api_schema: GraphQLSchema
    graphs: Mapping[str, Graph]
    type_joins: Mapping[str, tuple[TypeJoin, ...]]
    field_joins: Mapping[tuple[str, str], tuple[FieldJoin, ...]]
    implements: Mapping[str, Mapping[str, frozenset[str]]] = field(default_factory=dict)
    union_members: Mapping[str, Mapping[str, frozenset[str]]] = field(default_factory=dict)
    contexts: Mapping[str, frozenset[str]] = field(default_factory=dict)  # type -> @context names

    def graph_by_name(self, name: str) -> Graph:
        for graph in self.graphs.values():
            if graph.name == name:
                return graph
        raise KeyError(name)


def load_supergraph(path: Path, url_overrides: Mapping[str, str] | None = None) -> Supergraph:
    """Read a supergraph file (see `read_supergraph`)."""
    return read_supergraph(path.read_text(encoding="utf-8"), url_overrides)


def read_supergraph(sdl: str, url_overrides: Mapping[str, str] | None = None) -> Supergraph:
    """Read a supergraph SDL into the router's model of it.

    `url_overrides` maps a subgraph's `env_name` (e.g. `DOCTORS`) to the URL to use instead
    of its `@join__graph(url:)`; `RouterConfig` reads them from `ROUTER_SUBGRAPH_<NAME>_URL`.
    """
    document = parse(sdl)
    links = read_links(document)
    join = links.require("join", SUPPORTED_JOIN_VERSIONS)
    schema = build_ast_schema(document, assume_valid_sdl=True)
    reader = _JoinReader(join.prefix, links)
    graphs = reader.graphs(document, url_overrides or {})
    type_joins: dict[str, tuple[TypeJoin, ...]] = {}
    field_joins: dict[tuple[str, str], tuple[FieldJoin, ...]] = {}
    implements: dict[str, dict[str, set[str]]] = {}
    union_members: dict[str, dict[str, set[str]]] = {}
    contexts: dict[str, frozenset[str]] = {}
    context_link = links.get("context")
    context_directive = context_link.prefix if context_link else "context"
    for node in _type_nodes(document):
        name = node.name.value
        if name.startswith((f"{join.prefix}__", "link__")):
            continue
        names = [
            _str(_arguments(d)["name"])
            for d in getattr(node, "directives", None) or ()
            if d.name.value == context_directive and "name" in _arguments(d)
        ]
        if names:
            contexts[node.name.value] = frozenset(names)
        joins = tuple(reader.type_join(d) for d in reader.directives(node, "type"))
        type_joins[name] = type_joins.get(name, ()) + joins
        for d in reader.directives(node, "implements"):
            args = _arguments(d)
            implements.setdefault(name, {}).setdefault(_str(args["graph"]), set()).add(
                _str(args["interface"])
            )
        for d in reader.directives(node, "unionMember"):
            args = _arguments(d)
            union_members.setdefault(name, {}).setdefault(_str(args["graph"]), set()).add(
                _str(args["member"])
            )
        for field_node in getattr(node, "fields", None) or ():
            field_joins[(name, field_node.name.value)] = tuple(
                reader.field_join(d) for d in reader.directives(field_node, "field")
            )
    return Supergraph(
        sdl=sdl,
        schema=schema,
        api_schema=build_api_schema(document, links),
        graphs=graphs,
        type_joins=type_joins,
        field_joins=field_joins,
        implements=_freeze(implements),
        union_members=_freeze(union_members),
        contexts=contexts,
    )


class _JoinReader:
    def __init__(self, prefix: str, links: LinkedSpecs) -> None:
        self.prefix = prefix
        self.links = links

    def directives(self, node: object, name: str) -> list[ConstDirectiveNode]:
        wanted = f"{self.prefix}__{name}"
        nodes: tuple[ConstDirectiveNode, ...] = getattr(node, "directives", None) or ()
        return [d for d in nodes if d.name.value == wanted]

    def graphs(self, document: DocumentNode, overrides: Mapping[str, str]) -> dict[str, Graph]:
        enum = next(
            (
                d
                for d in document.definitions
                if isinstance(d, EnumTypeDefinitionNode) and d.name.value == f"{self.prefix}__Graph"
            ),
            None,
        )
        if enum is None:
            raise SupergraphError(f"the supergraph has no `{self.prefix}__Graph` enum")
        graphs: dict[str, Graph] = {}
        for value in enum.values or ():
            (directive,) = self.directives(value, "graph")
            args = _arguments(directive)
            name = _str(args["name"])
            url = overrides.get(env_name(name)) or _str(args["url"])
            graphs[value.name.value] = Graph(id=value.name.value, name=name, url=url)
        return graphs

    def type_join(self, directive: ConstDirectiveNode) -> TypeJoin:
        args = _arguments(directive)
        return TypeJoin(
            graph=_str(args["graph"]),
            key=_optional_str(args.get("key")),
            resolvable=_bool(args.get("resolvable"), default=True),
            is_interface_object=_bool(args.get("isInterfaceObject"), default=False),
            extension=_bool(args.get("extension"), default=False),
        )

    def field_join(self, directive: ConstDirectiveNode) -> FieldJoin:
        args = _arguments(directive)
        graph = args.get("graph")
        return FieldJoin(
            graph=None if graph is None else _str(graph),
            requires=_optional_str(args.get("requires")),
            provides=_optional_str(args.get("provides")),
            type=_optional_str(args.get("type")),
            external=_bool(args.get("external"), default=False),
            override=_optional_str(args.get("override")),
            used_overridden=_bool(args.get("usedOverridden"), default=False),
            override_label=_optional_str(args.get("overrideLabel")),
            context_arguments=_context_arguments(args.get("contextArguments")),
        )


def _context_arguments(value: ValueNode | None) -> tuple[ContextArgument, ...]:
    if not isinstance(value, ListValueNode):
        return ()
    out: list[ContextArgument] = []
    for item in value.values:
        if isinstance(item, ObjectValueNode):
            fields = {f.name.value: f.value for f in item.fields}
            out.append(
                ContextArgument(
                    context=_str(fields["context"]),
                    name=_str(fields["name"]),
                    type=_str(fields["type"]),
                    selection=_unbraced(_str(fields["selection"])),
                )
            )
    return tuple(out)


def _unbraced(selection: str) -> str:
    """A context selection (` { locale }`) as a field set (`locale`)."""
    text = selection.strip()
    return text[1:-1].strip() if text.startswith("{") and text.endswith("}") else text


def _type_nodes(document: DocumentNode) -> list[TypeDefinitionNode | TypeExtensionNode]:
    return [
        d
        for d in document.definitions
        if isinstance(d, TypeDefinitionNode | TypeExtensionNode)
        and not isinstance(d, SchemaDefinitionNode)
    ]


def _arguments(directive: ConstDirectiveNode) -> dict[str, ValueNode]:
    return {a.name.value: a.value for a in directive.arguments or ()}


def _str(value: ValueNode) -> str:
    if isinstance(value, StringValueNode | EnumValueNode):
        return value.value
    raise SupergraphError(f"expected a string or enum value, got {value.kind}")


def _optional_str(value: ValueNode | None) -> str | None:
    if value is None or isinstance(value, NullValueNode):
        return None
    return _str(value)


def _bool(value: ValueNode | None, *, default: bool) -> bool:
    if value is None or isinstance(value, NullValueNode):
        return default
    if isinstance(value, BooleanValueNode):
        return value.value
    raise SupergraphError(f"expected a boolean, got {value.kind}")


def _freeze(
    table: dict[str, dict[str, set[str]]],
) -> dict[str, dict[str, frozenset[str]]]:
    return {k: {g: frozenset(v) for g, v in by_graph.items()} for k, by_graph in table.items()}
