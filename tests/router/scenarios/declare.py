"""Declare a scenario federation in a few lines: subgraph SDLs, one world of rows, cases.

Every subgraph of a declared scenario answers from the same `World` (rows by type), the way
real subgraphs share a database of ids, but only as its own schema allows:

- a field marked `@external` in a subgraph (and not part of one of its keys) is *not*
  known there: it is stripped from the rows that subgraph returns, unless a `@provides` on
  the path names it or the router sent it in a representation. A router that asks a
  subgraph for a field it only references gets `null`, as it would from a real subgraph;
- `_entities` finds the row by the subgraph's own `@key` (nested keys compared as sub-dicts;
  interface keys and `@interfaceObject` types search every row of the possible types), then
  lays the representation over it (so `@requires` values come from the router, not the
  world);
- `resolve` per coordinate (`"Query.posts"`, `"Post.comments"`) gives a value or a
  callable `(source, **args)`; a `Fail` anywhere (also inside lists) is a field error.

The federation `@link` is written from the directives each SDL uses.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLUnionType,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    execute,
    get_named_type,
    parse,
)

from router.testing.subgraph import SubgraphSpec
from tests.router.scenarios import PLACEHOLDER, Operation, Scenario

__all__ = ["Case", "Fail", "Reference", "Sub", "World", "declare", "federation_link"]

EDGE = Path(__file__).parent / "edge"
_NAMES = (
    "key requires provides external shareable override interfaceObject inaccessible tag "
    "composeDirective authenticated requiresScopes policy cost listSize context fromContext"
)
FEDERATION = frozenset(_NAMES.split(" "))
Json = dict[str, Any]
_TYPES = (
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
)


@dataclass(frozen=True)
class Fail:
    """A field error where this value would be."""

    message: str


class World:
    """Rows by type name: `b1 = world("Book", id="b1", title="Dune")`."""

    def __init__(self) -> None:
        self.rows: dict[str, list[Json]] = {}

    def __call__(self, typename: str, **fields: Any) -> Json:
        row = {"__typename": typename, **fields}
        self.rows.setdefault(typename, []).append(row)
        return row


@dataclass(frozen=True)
class Sub:
    """One subgraph: its SDL (without the @link), resolvers by coordinate, its own rows."""

    sdl: str
    resolve: Mapping[str, Any] = field(default_factory=dict)
    rows: Mapping[str, list[Json]] | None = None


@dataclass(frozen=True)
class Case(Operation):
    """A hand-written operation, with what is known about the answers.

    `expect`: the right `data` (both gateways are held to it, Hive unless `hive_wrong`).
    `xfail`: our router answers wrongly today ("planner: behaviour N: what is wrong").
    `more_requests`: our router answers right but makes more subgraph requests than Hive.
    `hive_wrong`: Hive Gateway's answer is wrong (then only `expect` counts, no count check).
    """

    expect: Any = None
    xfail: str = ""
    more_requests: str = ""
    hive_wrong: str = ""


def federation_link(sdl: str) -> str:
    used = sorted({m for m in re.findall(r"@(\w+)", sdl) if m in FEDERATION})
    imports = ", ".join(f'"@{name}"' for name in used)
    url = "https://specs.apollo.dev/federation/v2.9"
    return f'extend schema @link(url: "{url}", import: [{imports}])\n'


def declare(
    name: str,
    *,
    about: str,
    behaviours: Sequence[int] = (),
    directives: Sequence[str] = (),
    subgraphs: Mapping[str, Sub],
    world: World | None = None,
    resolve: Mapping[str, Any] | None = None,
    cases: Sequence[Case | str],
    generated_xfail: str = "",
    generated_hive_wrong: str = "",
) -> Scenario:
    """A scenario whose supergraph is committed as `edge/<name>.graphql`.

    `resolve` holds resolvers every subgraph shares (a `@shareable` root field); a
    subgraph's own `Sub.resolve` wins. `generated_xfail` marks the hypothesis-graphql
    operations of this scenario as answered wrongly today. `generated_hive_wrong` says why
    Hive Gateway answers some of them wrongly: where its answer differs from ours, both are
    held to the `Reference` answer (the same world and resolvers as one plain schema) and
    only Hive's may differ from it.
    """
    rows = world.rows if world is not None else {}
    shared = dict(resolve or {})

    def build() -> list[DeclaredSubgraph]:
        return [
            DeclaredSubgraph(
                sub_name,
                federation_link(sub.sdl) + sub.sdl,
                resolvers={**shared, **sub.resolve},
                world=dict(sub.rows) if sub.rows is not None else rows,
            )
            for sub_name, sub in subgraphs.items()
        ]

    operations = tuple(c if isinstance(c, Case) else Case(c) for c in cases)
    extra = {
        "about": about,
        "behaviours": tuple(behaviours),
        "directives": tuple(directives),
        "generated_xfail": generated_xfail,
        "generated_hive_wrong": generated_hive_wrong,
        "reference": Reference(
            {k: v for sub in subgraphs.values() for k, v in {**shared, **sub.resolve}.items()},
            rows,
        ),
    }
    return Scenario(name=name, build=build, operations=operations, extra=extra, folder=EDGE)


class Reference:
    """What the spec says the answer is: the operation run on the API schema as one plain
    (unfederated) schema over the scenario's world, with every subgraph's resolvers.

    A federation of declared subgraphs is a split of this one schema, so a gateway's answer
    must equal this one; the differential suite uses it where Hive Gateway is known wrong.
    """

    def __init__(self, resolvers: Mapping[str, Any], world: Mapping[str, list[Json]]) -> None:
        self.resolvers = dict(resolvers)
        self.world = world
        self._schemas: dict[str, DeclaredSubgraph] = {}

    def answer(self, api_sdl: str, query: str) -> Json:
        monolith = self._schemas.get(api_sdl)
        if monolith is None:
            monolith = DeclaredSubgraph(
                "reference", api_sdl, resolvers=self.resolvers, world=self.world
            )
            self._schemas[api_sdl] = monolith
        document = monolith.document(query)
        if isinstance(document, list):
            return {"errors": [e.formatted for e in document]}
        result = execute(monolith.schema, document, root_value={}, field_resolver=monolith.resolve)
        assert not inspect.isawaitable(result), "declared resolvers are synchronous"
        answer: Json = {"data": result.data}
        if result.errors:
            answer["errors"] = [e.formatted for e in result.errors]
        return answer


class DeclaredSubgraph(SubgraphSpec):
    """A `SubgraphSpec` answering from a `World` as its schema allows (module docstring)."""

    def __init__(
        self, name: str, sdl: str, *, resolvers: Mapping[str, Any], world: Mapping[str, list[Json]]
    ) -> None:
        document = parse(sdl)
        self.keys: dict[str, list[SelectionSetNode]] = {}
        self.externals: dict[str, set[str]] = {}
        for node in document.definitions:
            if not isinstance(node, _TYPES):
                continue
            for directive in node.directives or ():
                if directive.name.value == "key":
                    fields = _argument(directive, "fields")
                    self.keys.setdefault(node.name.value, []).append(_selection(fields))
            for field_node in node.fields or ():
                if any(d.name.value == "external" for d in field_node.directives or ()):
                    self.externals.setdefault(node.name.value, set()).add(field_node.name.value)
        entity_types = [
            n.name.value
            for n in document.definitions
            if isinstance(n, ObjectTypeDefinitionNode | ObjectTypeExtensionNode)
            and n.name.value in self.keys
        ]
        self.world = world
        super().__init__(
            name, sdl, resolvers=resolvers, entities=dict.fromkeys(entity_types, _unused)
        )

    @property
    def url(self) -> str:
        return f"{PLACEHOLDER}/{self.name}"

    def resolve(self, source: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        if info.field_name in ("_entities", "_service"):
            return super().resolve(source, info, **args)
        coordinate = f"{info.parent_type.name}.{info.field_name}"
        value: Any
        if coordinate in self.resolvers:
            value = self.resolvers[coordinate]
        else:
            value = source.get(info.field_name) if isinstance(source, dict) else None
        if callable(value):
            value = value(source, **args)
        if isinstance(value, Fail):
            raise GraphQLError(value.message)
        definition = info.parent_type.fields[info.field_name].ast_node
        provided = set()
        for directive in getattr(definition, "directives", None) or ():
            if directive.name.value == "provides":
                provided |= set(re.findall(r"\w+", _argument(directive, "fields")))
        if provided and isinstance(source, dict):
            provided |= source.get("__allow", set())
        elif isinstance(source, dict):
            provided = source.get("__allow", set())
        return self._project(value, get_named_type(info.return_type).name, provided)

    def _project(self, value: Any, typename: str, allowed: set[str]) -> Any:
        if isinstance(value, list):
            return [self._project(v, typename, allowed) for v in value]
        if isinstance(value, Fail):
            return GraphQLError(value.message)
        if not isinstance(value, dict):
            return value
        type_ = self.schema.get_type(typename)
        concrete = typename if isinstance(type_, GraphQLObjectType) else value.get("__typename")
        hidden = self.externals.get(str(concrete), set()) - self._key_fields(str(concrete))
        out = {k: v for k, v in value.items() if k not in hidden or k in allowed}
        out["__typename"] = concrete
        if allowed:
            out["__allow"] = allowed
        return out

    def _key_fields(self, typename: str) -> set[str]:
        return {
            s.name.value
            for key in self.keys.get(typename, ())
            for s in key.selections
            if isinstance(s, FieldNode)
        }

    def entity(self, representation: Json) -> Any:
        typename = representation["__typename"]
        type_ = self.schema.get_type(typename)
        if type_ is None:
            return None
        names = (
            [t.name for t in self.schema.get_possible_types(type_)]
            if isinstance(type_, GraphQLInterfaceType | GraphQLUnionType)
            else [typename]
        )
        if names == [typename] and typename not in self.world:  # an @interfaceObject
            names = list(self.world)
        keys = [k for k in self.keys.get(typename, ()) if _has(representation, k)]
        for name in names:
            for row in self.world.get(name, ()):
                if any(_matches(representation, row, key) for key in keys):
                    found = self._project(row, typename, set())
                    given = {k: v for k, v in representation.items() if k != "__typename"}
                    return {**found, **given}
        return None


def _unused(_representation: Json) -> Any:
    raise AssertionError("DeclaredSubgraph.entity answers every representation")


def _argument(directive: Any, name: str) -> str:
    for argument in directive.arguments:
        if argument.name.value == name and isinstance(argument.value, StringValueNode):
            return str(argument.value.value)
    return ""


def _selection(fields: str) -> SelectionSetNode:
    operation = parse("{" + fields + "}").definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return operation.selection_set


def _has(representation: Json, key: SelectionSetNode) -> bool:
    return all(isinstance(s, FieldNode) and s.name.value in representation for s in key.selections)


def _matches(given: Any, row: Any, key: SelectionSetNode) -> bool:
    if not isinstance(given, dict) or not isinstance(row, dict):
        return False
    for selection in key.selections:
        if not isinstance(selection, FieldNode):
            continue
        name = selection.name.value
        if selection.selection_set is None:
            if given.get(name) != row.get(name):
                return False
        elif not _matches(given.get(name), row.get(name), selection.selection_set):
            return False
    return True
