"""Demand control: an operation's estimated cost from the supergraph's `@cost`/`@listSize`,
refused at the edge above `ROUTER_MAX_COST` (400 `COST_ESTIMATED_TOO_EXPENSIVE`).

The estimate follows the IBM GraphQL cost directive spec as Apollo applies it: a field of a
composite type costs 1, a scalar or enum field 0, unless `@cost(weight:)` sits on the field
(or on its type); a list field multiplies its own and its selection's cost by its size:
the largest value of a `@listSize(slicingArguments:)` argument given (literal or variable),
else `@listSize(assumedSize:)`, else `ROUTER_DEFAULT_LIST_SIZE`. Fragments count every
type condition (an upper bound). The walk follows fragments at most `_MAX_DEPTH` deep.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    StringValueNode,
    VariableNode,
    get_named_type,
    is_composite_type,
)

from router.edge.refusal import Refusal

__all__ = ["CostModel", "DemandControl", "ListSize"]

_MAX_DEPTH = 64


@dataclass(frozen=True)
class ListSize:
    assumed_size: int | None = None
    slicing_arguments: tuple[str, ...] = ()


@dataclass(frozen=True)
class CostModel:
    """The `@cost` weights and `@listSize` rules of a schema, by `Type.field` and type."""

    schema: GraphQLSchema
    field_weights: Mapping[str, int]
    type_weights: Mapping[str, int]
    list_sizes: Mapping[str, ListSize]

    @classmethod
    def from_schema(cls, schema: GraphQLSchema) -> CostModel:
        fields: dict[str, int] = {}
        types: dict[str, int] = {}
        sizes: dict[str, ListSize] = {}
        for type_ in schema.type_map.values():
            weight = _weight(getattr(type_.ast_node, "directives", None))
            if weight is not None:
                types[type_.name] = weight
            for name, field in (getattr(type_, "fields", None) or {}).items():
                directives = getattr(field.ast_node, "directives", None)
                if (weight := _weight(directives)) is not None:
                    fields[f"{type_.name}.{name}"] = weight
                if (size := _list_size(directives)) is not None:
                    sizes[f"{type_.name}.{name}"] = size
        return cls(schema, fields, types, sizes)

    def estimate(
        self,
        document: DocumentNode,
        variables: Mapping[str, Any] | None = None,
        operation_name: str | None = None,
        *,
        default_list_size: int = 10,
    ) -> int:
        """The estimated cost of the operation to run (0 when it cannot be found)."""
        fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        for definition in document.definitions:
            if not isinstance(definition, OperationDefinitionNode):
                continue
            if operation_name is not None and (
                definition.name is None or definition.name.value != operation_name
            ):
                continue
            root = self.schema.get_root_type(definition.operation)
            if root is None:
                return 0
            walk = _Walk(self, fragments, variables or {}, default_list_size)
            base = 10 if definition.operation == OperationType.MUTATION else 0
            return base + walk.selections(definition.selection_set, root, 0)
        return 0


@dataclass
class _Walk:
    model: CostModel
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: Mapping[str, Any]
    default_list_size: int

    def selections(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType, depth: int
    ) -> int:
        if depth > _MAX_DEPTH:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += self.field(selection, parent, depth)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self.model.schema.get_type(condition.name.value) if condition else parent
                if target is not None:
                    total += self.selections(selection.selection_set, target, depth + 1)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is None:
                    continue
                spread = self.model.schema.get_type(fragment.type_condition.name.value)
                if spread is not None:
                    total += self.selections(fragment.selection_set, spread, depth + 1)
        return total

    def field(self, node: FieldNode, parent: GraphQLNamedType, depth: int) -> int:
        definition: GraphQLField | None = (getattr(parent, "fields", None) or {}).get(
            node.name.value
        )
        if definition is None:  # __typename, introspection or an invalid field
            return 0
        named = get_named_type(definition.type)
        coordinate = f"{parent.name}.{node.name.value}"
        own = self.model.field_weights.get(coordinate)
        if own is None:
            own = self.model.type_weights.get(named.name, 1 if is_composite_type(named) else 0)
        below = 0
        if node.selection_set is not None:
            below = self.selections(node.selection_set, named, depth + 1)
        if _is_list(definition.type):
            return self.size(node, coordinate) * (own + below)
        return own + below

    def size(self, node: FieldNode, coordinate: str) -> int:
        rule = self.model.list_sizes.get(coordinate)
        if rule is None:
            return self.default_list_size
        given = [
            value
            for argument in node.arguments or ()
            if argument.name.value in rule.slicing_arguments
            and isinstance(value := self.value(argument.value), int)
        ]
        if given:
            return max(given)
        return rule.assumed_size if rule.assumed_size is not None else self.default_list_size

    def value(self, node: Any) -> Any:
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, VariableNode):
            return self.variables.get(node.name.value)
        return None


@dataclass(frozen=True)
class DemandControl:
    """Refuses operations whose estimated cost exceeds `max_cost` (0 turns it off)."""

    model: CostModel
    max_cost: int
    default_list_size: int = 10

    def check(
        self,
        document: DocumentNode,
        variables: Mapping[str, Any] | None,
        operation_name: str | None,
    ) -> int:
        """The estimate, or `Refusal` (400 `COST_ESTIMATED_TOO_EXPENSIVE`) above the limit."""
        cost = self.model.estimate(
            document, variables, operation_name, default_list_size=self.default_list_size
        )
        if self.max_cost and cost > self.max_cost:
            raise Refusal(
                400,
                "COST_ESTIMATED_TOO_EXPENSIVE",
                f"The operation's estimated cost {cost} exceeds the limit of {self.max_cost}.",
            )
        return cost


def _is_list(type_: GraphQLOutputType) -> bool:
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    return isinstance(inner, GraphQLList)


def _directive(directives: Any, name: str) -> DirectiveNode | None:
    for directive in directives or ():
        if directive.name.value == name:
            found: DirectiveNode = directive
            return found
    return None


def _weight(directives: Any) -> int | None:
    directive = _directive(directives, "cost")
    for argument in directive.arguments if directive else ():
        if argument.name.value == "weight" and isinstance(
            argument.value, IntValueNode | StringValueNode
        ):
            return int(argument.value.value)
    return None


def _list_size(directives: Any) -> ListSize | None:
    directive = _directive(directives, "listSize")
    if directive is None:
        return None
    assumed: int | None = None
    slicing: tuple[str, ...] = ()
    for argument in directive.arguments:
        if argument.name.value == "assumedSize" and isinstance(argument.value, IntValueNode):
            assumed = int(argument.value.value)
        if argument.name.value == "slicingArguments" and isinstance(argument.value, ListValueNode):
            slicing = tuple(
                v.value for v in argument.value.values if isinstance(v, StringValueNode)
            )
    return ListSize(assumed, slicing)
