"""Operation limits checked before validation: tokens, depth, aliases, root fields, and the
introspection policy. Each refusal carries a stable code (400)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    parse,
)

from router.edge.refusal import Refusal

__all__ = ["OperationLimits", "Shape", "measure"]

_INTROSPECTION = frozenset({"__schema", "__type"})


@dataclass(frozen=True)
class Shape:
    """What the limits look at in a document (the largest over its operations)."""

    depth: int
    aliases: int
    root_fields: int
    introspection: bool


@dataclass(frozen=True)
class OperationLimits:
    max_tokens: int = 5000
    max_depth: int = 15
    max_aliases: int = 30
    max_root_fields: int = 20
    introspection: bool = True

    def check(self, query: str) -> DocumentNode:
        """The parsed document, or `Refusal` naming the first limit it exceeds."""
        try:
            document = parse(query, max_tokens=self.max_tokens, no_location=False)
        except GraphQLError as error:
            if "tokens" in error.message and "more than" in error.message:
                raise Refusal(
                    400,
                    "MAX_TOKENS_EXCEEDED",
                    f"The operation has more than {self.max_tokens} tokens.",
                ) from None
            raise Refusal(400, "GRAPHQL_PARSE_FAILED", error.message) from None
        shape = measure(document)
        if shape.introspection and not self.introspection:
            raise Refusal(400, "INTROSPECTION_DISABLED", "Introspection is disabled here.")
        if shape.depth > self.max_depth:
            raise Refusal(
                400, "MAX_DEPTH_EXCEEDED", f"The operation is deeper than {self.max_depth}."
            )
        if shape.aliases > self.max_aliases:
            raise Refusal(
                400,
                "MAX_ALIASES_EXCEEDED",
                f"The operation has more than {self.max_aliases} aliases.",
            )
        if shape.root_fields > self.max_root_fields:
            raise Refusal(
                400,
                "MAX_ROOT_FIELDS_EXCEEDED",
                f"The operation has more than {self.max_root_fields} root fields.",
            )
        return document


def measure(document: DocumentNode) -> Shape:
    """Depth (introspection subtrees left out), aliases and root fields, fragments followed."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    walker = _Walker(fragments)
    depth = roots = 0
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            depth = max(depth, walker.depth(definition.selection_set, frozenset()))
            roots = max(roots, walker.count_roots(definition.selection_set, frozenset()))
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode):
            walker.count_aliases(definition.selection_set)
    return Shape(depth, walker.aliases, roots, walker.introspection)


class _Walker:
    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode]) -> None:
        self.fragments = fragments
        self.aliases = 0
        self.introspection = False

    def depth(self, selection_set: SelectionSetNode | None, seen: frozenset[str]) -> int:
        if selection_set is None:
            return 0
        deepest = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.name.value in _INTROSPECTION:
                    self.introspection = True
                    continue
                below = self.depth(selection.selection_set, seen)
                deepest = max(deepest, 1 + below)
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, self.depth(selection.selection_set, seen))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    deepest = max(deepest, self.depth(fragment.selection_set, seen | {name}))
        return deepest

    def count_roots(self, selection_set: SelectionSetNode, seen: frozenset[str]) -> int:
        count = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                count += 1
            elif isinstance(selection, InlineFragmentNode):
                count += self.count_roots(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    count += self.count_roots(fragment.selection_set, seen | {name})
        return count

    def count_aliases(self, selection_set: SelectionSetNode | None) -> None:
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                if selection.alias is not None:
                    self.aliases += 1
                if selection.name.value in _INTROSPECTION:
                    self.introspection = True
                self.count_aliases(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                self.count_aliases(selection.selection_set)
