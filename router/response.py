"""Shape merged subgraph data into the client's response (the last pipeline stage).

Walks the client's operation over the merged data: keeps exactly the fields asked for, in
the asked order, answers `__typename`, and applies GraphQL null propagation: a null in a
non-null position nulls the nearest nullable parent, with an error when none explains it.

Which fields an object of a type gets is worked out once per operation (and `@skip` /
`@include` values) and kept in a `ShapeCache` the caller holds for as long as the
operation's document lives.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLEnumType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLString,
    OperationDefinitionNode,
    is_abstract_type,
)
from graphql.execution.collect_fields import collect_fields, collect_sub_fields

from router.executor import typename_of

__all__ = ["ShapeCache", "asked_errors", "shape_response"]

Json = dict[str, Any]
_INVALID: Any = object()  # null that must propagate to the nearest nullable position
# A response path as a linked list, (key, parent), built only into a list for errors.
_Path = tuple[str | int, Any] | None


class _Field(NamedTuple):
    key: str
    name: str
    type: GraphQLOutputType
    nodes: list[FieldNode]
    kind: int  # 0: a field, 1: __typename, 2: introspection answered beforehand


ShapeCache = dict[tuple[str, tuple[int, ...]], list[_Field]]


def shape_response(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    data: Json,
    errors: list[Json],
    cache: ShapeCache | None = None,
) -> Json | None:
    """The response `data` for the operation; appends null-propagation errors to `errors`.

    `cache` must only be shared between calls for the same operation and `@skip`/`@include`
    values.
    """
    shaper = _Shaper(
        schema, dict(fragments), dict(variables), errors, {} if cache is None else cache
    )
    return shaper.root(operation, data)


class _Shaper:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
        errors: list[Json],
        cache: ShapeCache,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.errors = errors
        self.error_paths = [tuple(e["path"]) for e in errors if isinstance(e.get("path"), list)]
        self.cache = cache

    def root(self, operation: OperationDefinitionNode, data: Json) -> Json | None:
        root_type = self.schema.get_root_type(operation.operation)
        assert root_type is not None
        key = (f"#root:{root_type.name}", (id(operation),))
        fields = self.cache.get(key)
        if fields is None:
            collected = collect_fields(
                self.schema, self.fragments, self.variables, root_type, operation.selection_set
            )
            fields = self.cache[key] = _plan_fields(root_type, collected)
        result = self.object(root_type, fields, data, None)
        return None if result is _INVALID else result

    def object(
        self, type_: GraphQLObjectType, fields: list[_Field], value: Json, path: _Path
    ) -> Any:
        out: Json = {}
        for f in fields:
            if f.kind == 1:
                out[f.key] = type_.name
                continue
            if f.kind == 2:
                out[f.key] = value.get(f.key)
                continue
            completed = self.complete(f.type, f, value.get(f.key), (f.key, path), type_)
            if completed is _INVALID:
                if isinstance(f.type, GraphQLNonNull):
                    return _INVALID
                completed = None
            out[f.key] = completed
        return out

    def complete(
        self,
        type_: GraphQLOutputType,
        field: _Field,
        value: Any,
        path: _Path,
        parent: GraphQLObjectType,
    ) -> Any:
        if isinstance(type_, GraphQLNonNull):
            completed = self.complete(type_.of_type, field, value, path, parent)
            if completed is None:
                self.null_error(path, f"{parent.name}.{field.name}")
                return _INVALID
            return completed
        if value is None:
            return None
        if isinstance(type_, GraphQLEnumType):
            # A value hidden from the API schema (`@inaccessible`) never reaches the client.
            return value if isinstance(value, str) and value in type_.values else None
        if isinstance(type_, GraphQLScalarType):
            return value
        if isinstance(type_, GraphQLList):
            if not isinstance(value, list):
                return None
            item_type = type_.of_type
            non_null = isinstance(item_type, GraphQLNonNull)
            items: list[Any] = []
            for index, item in enumerate(value):
                completed = self.complete(item_type, field, item, (index, path), parent)
                if completed is _INVALID:
                    if non_null:
                        return _INVALID
                    completed = None
                items.append(completed)
            return items
        if not isinstance(value, dict):
            return None
        runtime: Any = type_
        if is_abstract_type(type_):
            typename = typename_of(value)
            runtime = self.schema.get_type(typename)
            if runtime is None and typename:
                return None  # an object of a type hidden from the API schema
            if runtime is type_ or runtime is None:
                # An @interfaceObject's object whose concrete type was not needed.
                return self.unknown_member(type_, field, value, path)
            if not isinstance(runtime, GraphQLObjectType) or not self.schema.is_sub_type(
                type_,  # type: ignore[arg-type]
                runtime,
            ):
                return None
        return self.object(runtime, self.sub_fields(runtime, field.nodes), value, path)

    def unknown_member(self, abstract: Any, field: _Field, value: Json, path: _Path) -> Any:
        """Complete the fields every member would get, when the member is not known."""
        members = list(self.schema.get_possible_types(abstract))
        if not members:
            return None
        per_member = [self.sub_fields(m, field.nodes) for m in members]
        keys = [{f.key for f in fields} for fields in per_member[1:]]
        common = [f for f in per_member[0] if f.kind != 1 and all(f.key in k for k in keys)]
        return self.object(members[0], common, value, path)

    def sub_fields(self, type_: GraphQLObjectType, nodes: list[FieldNode]) -> list[_Field]:
        key = (type_.name, tuple(id(n) for n in nodes))
        fields = self.cache.get(key)
        if fields is None:
            collected = collect_sub_fields(
                self.schema, self.fragments, self.variables, type_, nodes
            )
            fields = self.cache[key] = _plan_fields(type_, collected)
        return fields

    def null_error(self, path: _Path, coordinate: str) -> None:
        here = _materialize(path)
        for known in self.error_paths:
            n = min(len(known), len(here))
            if known[:n] == tuple(here[:n]):
                return
        self.errors.append(
            {"message": f"Cannot return null for non-nullable field {coordinate}.", "path": here}
        )
        self.error_paths.append(tuple(here))


def _plan_fields(type_: GraphQLObjectType, collected: dict[str, list[FieldNode]]) -> list[_Field]:
    fields: list[_Field] = []
    for key, nodes in collected.items():
        name = nodes[0].name.value
        if name == "__typename":
            fields.append(_Field(key, name, _STRING, nodes, 1))
        elif name in ("__schema", "__type"):
            fields.append(_Field(key, name, _STRING, nodes, 2))
        else:
            fields.append(_Field(key, name, type_.fields[name].type, nodes, 0))
    return fields


def _materialize(path: _Path) -> list[str | int]:
    steps: list[str | int] = []
    while path is not None:
        steps.append(path[0])
        path = path[1]
    steps.reverse()
    return steps


_STRING = GraphQLString  # stands in for fields the shaper answers itself


def asked_errors(errors: list[Json], shaped: Json | None) -> list[Json]:
    """The errors at places the client asked for: an error whose path names a response key
    the shaped data does not have (a field fetched only for the plan, e.g. for a
    `@requires`) is left out, as the reference gateways do. Errors without a path, or whose
    path reaches a null (the error explains it), stay."""
    if shaped is None:
        return errors
    return [e for e in errors if _asked(e.get("path"), shaped)]


def _asked(path: Any, shaped: Json) -> bool:
    if not isinstance(path, list):
        return True
    current: Any = shaped
    for step in path:
        if current is None:
            return True
        if isinstance(step, str):
            if not isinstance(current, dict) or step not in current:
                return False
            current = current[step]
        elif isinstance(current, list) and isinstance(step, int) and 0 <= step < len(current):
            current = current[step]
        else:
            return True
    return True
