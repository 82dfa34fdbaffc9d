"""Selections sent to subgraphs: a mutable builder for the planner, frozen data for the plan."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = [
    "INTERNAL_PREFIX",
    "FieldSelection",
    "FragmentSelection",
    "PlanningError",
    "Selection",
    "SelectionBuilder",
    "internal_alias",
    "print_selections",
]


# Fields the planner adds itself (keys, required fields, __typename) take this alias when
# the client already uses their name as the response key of another field.
INTERNAL_PREFIX = "__hb_"


class PlanningError(Exception):
    """The operation cannot be planned over this supergraph."""


def internal_alias(name: str, arguments: str) -> str:
    """The response key of a field the planner adds itself, when it cannot be the name.

    Fields with arguments always get one, derived from the arguments, so that a required
    `price(currency: USD)` never lands on the key of the client's `price(currency: EUR)`,
    whichever fetch each is in.
    """
    if not arguments:
        return INTERNAL_PREFIX + name
    digest = hashlib.sha1(arguments.encode(), usedforsecurity=False).hexdigest()[:8]
    return f"{INTERNAL_PREFIX}{name}_{digest}"


@dataclass(frozen=True)
class FieldSelection:
    """A field as a subgraph sees it: `alias: name(arguments) { selections }`."""

    name: str
    alias: str | None = None
    arguments: str = ""
    selections: tuple[Selection, ...] | None = None
    # The client's response key, when the subgraph is asked under another alias (two fields
    # with one response key but different types in one subgraph selection); the executor
    # puts the answer back under this key.
    restore: str | None = None

    @property
    def response_key(self) -> str:
        return self.alias or self.name


@dataclass(frozen=True)
class FragmentSelection:
    """An inline fragment `... on Type { selections }`."""

    type_condition: str
    selections: tuple[Selection, ...]


Selection = FieldSelection | FragmentSelection


class _FieldBuilder:
    __slots__ = ("alias", "arguments", "name", "restore", "selections")

    def __init__(
        self, name: str, alias: str | None, arguments: str, composite: bool, restore: str | None
    ) -> None:
        self.name = name
        self.alias = alias
        self.arguments = arguments
        self.restore = restore
        self.selections = SelectionBuilder() if composite else None


class SelectionBuilder:
    """Ordered, mergeable selections: the same response key added twice is one field.

    A builder and its inline fragments share one scope: a response key used there with two
    different field types (`ID!` on one member, `ID` on another) is sent aliased the second
    time, and restored to the client's key by the executor.
    """

    __slots__ = ("_fields", "_fragments", "_scope")

    def __init__(self, scope: dict[str, str] | None = None) -> None:
        self._fields: dict[str, _FieldBuilder] = {}
        self._fragments: dict[str, SelectionBuilder] = {}
        self._scope: dict[str, str] = {} if scope is None else scope

    def field(
        self,
        name: str,
        *,
        alias: str | None = None,
        arguments: str = "",
        composite: bool = False,
        internal: bool = False,
        shape: str = "",
    ) -> SelectionBuilder | None:
        """Add a field (or find the one already there); its sub-selections when composite."""
        return self.add_field(
            name,
            alias=alias,
            arguments=arguments,
            composite=composite,
            internal=internal,
            shape=shape,
        )[1]

    def add_field(
        self,
        name: str,
        *,
        alias: str | None = None,
        arguments: str = "",
        composite: bool = False,
        internal: bool = False,
        shape: str = "",
    ) -> tuple[str, SelectionBuilder | None]:
        """Like `field`, also telling the response key used: an `internal` field with
        arguments, or whose name the client uses for something else, is aliased
        (`internal_alias`); `shape` is the field's type in the subgraph."""
        key = alias or name
        if internal and arguments and alias in (None, name):
            key = alias = internal_alias(name, arguments)
        restore: str | None = None
        existing = self._fields.get(key)
        if existing is not None and (existing.name != name or existing.arguments != arguments):
            if not internal:
                raise PlanningError(
                    f"the response key {key!r} is used for {existing.name}{existing.arguments} "
                    f"and for {name}{arguments}; the router cannot send both to one subgraph"
                )
            key = alias = internal_alias(name, arguments)
            existing = self._fields.get(key)
        if existing is None and shape and self._scope.setdefault(key, shape) != shape:
            restore = key
            key = alias = f"{INTERNAL_PREFIX}{key}_{len(self._scope)}"
            self._scope[key] = shape
        if existing is None:
            alias = None if alias == name else alias
            existing = self._fields[key] = _FieldBuilder(name, alias, arguments, composite, restore)
        return key, existing.selections

    def fragment(self, type_condition: str) -> SelectionBuilder:
        builder = self._fragments.get(type_condition)
        if builder is None:
            builder = self._fragments[type_condition] = SelectionBuilder(self._scope)
        return builder

    def add(
        self,
        selections: Iterable[Selection],
        *,
        internal: bool = False,
        shapes: Mapping[str, str] | None = None,
    ) -> None:
        """Merge frozen selections in (key fields, required fields); `shapes` gives the
        subgraph types of top-level fields, for the response-key checks of `add_field`."""
        for selection in selections:
            if isinstance(selection, FragmentSelection):
                self.fragment(selection.type_condition).add(selection.selections, internal=internal)
                continue
            alias = selection.alias
            if alias is not None and alias.startswith(INTERNAL_PREFIX):
                alias = None  # let this builder choose its own internal alias
            sub = self.field(
                selection.name,
                alias=alias,
                arguments=selection.arguments,
                composite=selection.selections is not None,
                internal=internal,
                shape=(shapes or {}).get(selection.name, ""),
            )
            if sub is not None and selection.selections is not None:
                sub.add(selection.selections, internal=internal)

    def is_empty(self) -> bool:
        return not self._fields and all(f.is_empty() for f in self._fragments.values())

    def freeze(self) -> tuple[Selection, ...]:
        out: list[Selection] = []
        for f in self._fields.values():
            subs = None if f.selections is None else f.selections.freeze()
            if subs == ():
                subs = (FieldSelection("__typename"),)
            out.append(FieldSelection(f.name, f.alias, f.arguments, subs, f.restore))
        for type_condition, builder in self._fragments.items():
            if not builder.is_empty():
                out.append(FragmentSelection(type_condition, builder.freeze()))
        return tuple(out)


def print_selections(selections: Iterable[Selection]) -> str:
    """`{ a b { c } ... on T { d } }` on one line, as sent to subgraphs."""
    parts: list[str] = []
    for s in selections:
        if isinstance(s, FragmentSelection):
            parts.append(f"... on {s.type_condition} {print_selections(s.selections)}")
            continue
        text = f"{s.alias}: {s.name}" if s.alias else s.name
        text += s.arguments
        if s.selections is not None:
            text += " " + print_selections(s.selections)
        parts.append(text)
    return "{ " + " ".join(parts) + " }"
