"""Operation limits checked before validation: tokens, depth, aliases, root fields (counted on
the operation as executed, fragments expanded, with a cap on that expansion), and the
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

__all__ = ["MAX_EXPANSION", "OperationLimits", "Shape", "measure"]

_INTROSPECTION = frozenset({"__schema", "__type"})


@dataclass(frozen=True)
class Shape:
    """What the limits look at in a document (the largest over its operations)."""

    depth: int
    aliases: int
    root_fields: int
    introspection: bool
    expanded_too_far: bool = False


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
        if shape.expanded_too_far:
            raise Refusal(
                400,
                "MAX_EXPANSION_EXCEEDED",
                f"The operation expands to more than {MAX_EXPANSION} selections.",
            )
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


# Selections visited while expanding fragments, per document: enough for any real operation
# (the web app's largest expands to a few hundred), small enough to stay cheap.
MAX_EXPANSION = 10_000


def measure(document: DocumentNode, *, max_expansion: int = MAX_EXPANSION) -> Shape:
    """Depth (introspection subtrees left out), aliases and root fields of each operation as
    it executes: every fragment spread expanded where it stands, so aliases behind a spread
    used fifteen times count fifteen times. `expanded_too_far` when the expansion would visit
    more than `max_expansion` selections (the walk stops there)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    depth = aliases = roots = 0
    walker = _Walker(fragments, max_expansion)
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            walker.aliases = 0
            depth = max(depth, walker.depth(definition.selection_set, frozenset()))
            aliases = max(aliases, walker.aliases)
            roots = max(roots, walker.count_roots(definition.selection_set, frozenset()))
    return Shape(depth, aliases, roots, walker.introspection, walker.budget < 0)


class _Walker:
    def __init__(self, fragments: Mapping[str, FragmentDefinitionNode], budget: int) -> None:
        self.fragments = fragments
        self.aliases = 0
        self.introspection = False
        self.budget = budget

    def depth(self, selection_set: SelectionSetNode | None, seen: frozenset[str]) -> int:
        """The depth below `selection_set`, counting aliases on the way."""
        if selection_set is None:
            return 0
        deepest = 0
        for selection in selection_set.selections:
            self.budget -= 1
            if self.budget < 0:
                return deepest
            if isinstance(selection, FieldNode):
                if selection.alias is not None:
                    self.aliases += 1
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
