"""Shape merged subgraph data into the client's response (the last pipeline stage).

Walks the client's operation over the merged data: keeps exactly the fields asked for, in
the asked order, answers `__typename`, and applies GraphQL null propagation: a null in a
non-null position nulls the nearest nullable parent, with an error when none explains it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    OperationDefinitionNode,
    is_abstract_type,
    is_leaf_type,
)
from graphql.execution.collect_fields import collect_fields, collect_sub_fields

__all__ = ["shape_response"]

Json = dict[str, Any]
_INVALID: Any = object()  # null that must propagate to the nearest nullable position


def shape_response(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any],
    data: Json,
    errors: list[Json],
) -> Json | None:
    """The response `data` for the operation; appends null-propagation errors to `errors`."""
    return _Shaper(schema, dict(fragments), dict(variables), errors).root(operation, data)


class _Shaper:
    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: dict[str, Any],
        errors: list[Json],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.errors = errors
        self.error_paths = [tuple(e["path"]) for e in errors if isinstance(e.get("path"), list)]
        self.memo: dict[tuple[str, tuple[int, ...]], dict[str, list[FieldNode]]] = {}

    def root(self, operation: OperationDefinitionNode, data: Json) -> Json | None:
        root_type = self.schema.get_root_type(operation.operation)
        assert root_type is not None
        fields = collect_fields(
            self.schema, self.fragments, self.variables, root_type, operation.selection_set
        )
        result = self.object(root_type, fields, data, [])
        return None if result is _INVALID else result

    def object(
        self,
        type_: GraphQLObjectType,
        fields: dict[str, list[FieldNode]],
        value: Json,
        path: list[str | int],
    ) -> Any:
        out: Json = {}
        for key, nodes in fields.items():
            name = nodes[0].name.value
            if name == "__typename":
                out[key] = type_.name
                continue
            if name in ("__schema", "__type"):
                out[key] = value.get(key)
                continue
            field_type = type_.fields[name].type
            completed = self.complete(field_type, nodes, value.get(key), [*path, key], type_, name)
            if completed is _INVALID:
                if isinstance(field_type, GraphQLNonNull):
                    return _INVALID
                completed = None
            out[key] = completed
        return out

    def complete(
        self,
        type_: GraphQLOutputType,
        nodes: list[FieldNode],
        value: Any,
        path: list[str | int],
        parent: GraphQLObjectType,
        name: str,
    ) -> Any:
        if isinstance(type_, GraphQLNonNull):
            completed = self.complete(type_.of_type, nodes, value, path, parent, name)
            if completed is None:
                self.null_error(path, f"{parent.name}.{name}")
                return _INVALID
            return completed
        if value is None:
            return None
        if isinstance(type_, GraphQLList):
            if not isinstance(value, list):
                return None
            items: list[Any] = []
            for index, item in enumerate(value):
                completed = self.complete(type_.of_type, nodes, item, [*path, index], parent, name)
                if completed is _INVALID:
                    if isinstance(type_.of_type, GraphQLNonNull):
                        return _INVALID
                    completed = None
                items.append(completed)
            return items
        if is_leaf_type(type_):
            return value
        if not isinstance(value, dict):
            return None
        runtime: Any = type_
        if is_abstract_type(type_):
            runtime = self.schema.get_type(value.get("__typename") or "")
            if runtime is type_ or runtime is None:
                # An @interfaceObject's object whose concrete type was not needed.
                return self.unknown_member(type_, nodes, value, path)
            if not isinstance(runtime, GraphQLObjectType) or not self.schema.is_sub_type(
                type_,  # type: ignore[arg-type]
                runtime,
            ):
                return None
        return self.object(runtime, self.sub_fields(runtime, nodes), value, path)

    def unknown_member(
        self, abstract: Any, nodes: list[FieldNode], value: Json, path: list[str | int]
    ) -> Any:
        """Complete the fields every member would get, when the member is not known."""
        members = list(self.schema.get_possible_types(abstract))
        if not members:
            return None
        per_member = [self.sub_fields(m, nodes) for m in members]
        common = {
            k: v
            for k, v in per_member[0].items()
            if all(k in other for other in per_member[1:]) and v[0].name.value != "__typename"
        }
        return self.object(members[0], common, value, path)

    def sub_fields(
        self, type_: GraphQLObjectType, nodes: list[FieldNode]
    ) -> dict[str, list[FieldNode]]:
        key = (type_.name, tuple(id(n) for n in nodes))
        fields = self.memo.get(key)
        if fields is None:
            fields = self.memo[key] = collect_sub_fields(
                self.schema, self.fragments, self.variables, type_, nodes
            )
        return fields

    def null_error(self, path: list[str | int], coordinate: str) -> None:
        here = tuple(path)
        for known in self.error_paths:
            n = min(len(known), len(here))
            if known[:n] == here[:n]:
                return
        self.errors.append(
            {
                "message": f"Cannot return null for non-nullable field {coordinate}.",
                "path": path,
            }
        )
        self.error_paths.append(here)
