"""The `@link`s of a supergraph: which specs it uses, at which version, under which names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from graphql import (
    ConstDirectiveNode,
    DocumentNode,
    ListValueNode,
    ObjectValueNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    StringValueNode,
)

__all__ = ["Link", "LinkedSpecs", "read_links"]

_URL = re.compile(r"^(?P<base>.*/)?(?P<name>[A-Za-z_][\w-]*)/(?P<version>v\d+\.\d+)/?$")


class LinkError(ValueError):
    """A `@link` the router cannot read."""


@dataclass(frozen=True)
class Link:
    """One linked spec: e.g. join v0.3, whose elements are named `join__*`."""

    url: str
    name: str
    version: str
    prefix: str
    imports: dict[str, str] = field(default_factory=dict)

    def directive_names(self) -> set[str]:
        """Names of the directives this spec contributes to the schema."""
        return {self.prefix, *(v.lstrip("@") for k, v in self.imports.items() if k.startswith("@"))}

    def owns(self, name: str) -> bool:
        """Whether a type or directive name belongs to this spec."""
        return (
            name.startswith(f"{self.prefix}__")
            or name in self.directive_names()
            or (name in self.imports.values())
        )


@dataclass(frozen=True)
class LinkedSpecs:
    links: tuple[Link, ...]

    def get(self, name: str) -> Link | None:
        return next((link for link in self.links if link.name == name), None)

    def require(self, name: str, versions: Sequence[str]) -> Link:
        link = self.get(name)
        if link is None:
            raise LinkError(f"the supergraph does not link the `{name}` spec")
        if link.version not in versions:
            raise LinkError(
                f"{name} {link.version} is not supported (supported: {', '.join(versions)})"
            )
        return link


def read_links(document: DocumentNode) -> LinkedSpecs:
    """Read every `@link(url:, as:, import:)` on the schema definition and extensions."""
    links: list[Link] = []
    for definition in document.definitions:
        if not isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            continue
        for directive in definition.directives or ():
            if directive.name.value == "link":
                links.append(_read_link(directive))
    link = next((item for item in links if item.name == "link"), None)
    if link is None:
        raise LinkError('the supergraph has no `@link(url: "https://specs.apollo.dev/link/v1.0")`')
    if link.version != "v1.0":
        raise LinkError(f"link {link.version} is not supported (supported: v1.0)")
    return LinkedSpecs(tuple(links))


def _read_link(directive: ConstDirectiveNode) -> Link:
    args = {a.name.value: a.value for a in directive.arguments or ()}
    url = args.get("url")
    if not isinstance(url, StringValueNode):
        raise LinkError("@link without a url")
    match = _URL.match(url.value)
    if match is None:
        raise LinkError(f"cannot read the spec name and version of {url.value!r}")
    name = match["name"]
    alias = args.get("as")
    prefix = alias.value if isinstance(alias, StringValueNode) else name
    imports: dict[str, str] = {}
    imported = args.get("import")
    for item in imported.values if isinstance(imported, ListValueNode) else ():
        if isinstance(item, StringValueNode):
            imports[item.value] = item.value
        elif isinstance(item, ObjectValueNode):
            fields = {f.name.value: f.value for f in item.fields}
            original, local = fields.get("name"), fields.get("as", fields.get("name"))
            if isinstance(original, StringValueNode) and isinstance(local, StringValueNode):
                imports[original.value] = local.value
    return Link(url=url.value, name=name, version=match["version"], prefix=prefix, imports=imports)
