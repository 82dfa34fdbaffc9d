"""Build the public API schema of a supergraph: no federation machinery, no `@inaccessible`."""

from __future__ import annotations

from typing import Any

from graphql import (
    DirectiveDefinitionNode,
    DirectiveNode,
    DocumentNode,
    EnumValueDefinitionNode,
    FieldDefinitionNode,
    GraphQLSchema,
    InputValueDefinitionNode,
    NamedTypeNode,
    Node,
    SchemaDefinitionNode,
    TypeDefinitionNode,
    TypeExtensionNode,
    Visitor,
    build_ast_schema,
    visit,
)
from graphql.language.visitor import REMOVE

from router.links import LinkedSpecs

__all__ = ["build_api_schema"]

# Specs whose definitions are federation machinery, never part of the API.
_MACHINERY = {
    "link",
    "join",
    "inaccessible",
    "tag",
    "authenticated",
    "requiresScopes",
    "policy",
    "cost",
    "listSize",
    "context",
}


def build_api_schema(document: DocumentNode, links: LinkedSpecs) -> GraphQLSchema:
    """The schema clients see: what remains once machinery and inaccessible elements go."""
    machinery = [link for link in links.links if link.name in _MACHINERY]
    inaccessible = links.get("inaccessible")
    marker = inaccessible.prefix if inaccessible else "inaccessible"
    removed_types = {
        d.name.value
        for d in document.definitions
        if isinstance(d, TypeDefinitionNode | TypeExtensionNode)
        and (any(link.owns(d.name.value) for link in machinery) or _marked(d, marker))
    }
    visitor = _ApiVisitor(
        machinery_owns=lambda n: any(link.owns(n) for link in machinery),
        marker=marker,
        removed_types=removed_types,
    )
    api_document = visit(document, visitor)
    return build_ast_schema(api_document, assume_valid_sdl=True)


def _marked(node: Node, marker: str) -> bool:
    directives: tuple[DirectiveNode, ...] = getattr(node, "directives", None) or ()
    return any(d.name.value == marker for d in directives)


class _ApiVisitor(Visitor):
    def __init__(self, *, machinery_owns: Any, marker: str, removed_types: set[str]) -> None:
        super().__init__()
        self.machinery_owns = machinery_owns
        self.marker = marker
        self.removed_types = removed_types

    def enter(self, node: Node, *_args: Any) -> Any:
        if isinstance(node, DirectiveDefinitionNode):
            return REMOVE if self.machinery_owns(node.name.value) else None
        if isinstance(node, DirectiveNode):
            owned = self.machinery_owns(node.name.value) or node.name.value == self.marker
            return REMOVE if owned else None
        if isinstance(node, TypeDefinitionNode | TypeExtensionNode) and not isinstance(
            node, SchemaDefinitionNode
        ):
            return REMOVE if node.name.value in self.removed_types else None
        if isinstance(
            node, FieldDefinitionNode | InputValueDefinitionNode | EnumValueDefinitionNode
        ):
            return REMOVE if _marked(node, self.marker) else None
        if isinstance(node, NamedTypeNode) and node.name.value in self.removed_types:
            return REMOVE
        return None
