"""Selections sent to subgraphs: a mutable builder for the planner, frozen data for the plan."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "INTERNAL_PREFIX",
    "FieldSelection",
    "FragmentSelection",
    "PlanningError",
    "Selection",
    "SelectionBuilder",
    "print_selections",
]


# Fields the planner adds itself (keys, required fields, __typename) take this alias when
# the client already uses their name as the response key of another field.
INTERNAL_PREFIX = "__hb_"


class PlanningError(Exception):
    """The operation cannot be planned over this supergraph."""


@dataclass(frozen=True)
class FieldSelection:
    """A field as a subgraph sees it: `alias: name(arguments) { selections }`."""

    name: str
    alias: str | None = None
    arguments: str = ""
    selections: tuple[Selection, ...] | None = None

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
    __slots__ = ("alias", "arguments", "name", "selections")

    def __init__(self, name: str, alias: str | None, arguments: str, composite: bool) -> None:
        self.name = name
        self.alias = alias
        self.arguments = arguments
        self.selections = SelectionBuilder() if composite else None


class SelectionBuilder:
    """Ordered, mergeable selections: the same response key added twice is one field."""

    __slots__ = ("_fields", "_fragments")

    def __init__(self) -> None:
        self._fields: dict[str, _FieldBuilder] = {}
        self._fragments: dict[str, SelectionBuilder] = {}

    def field(
        self,
        name: str,
        *,
        alias: str | None = None,
        arguments: str = "",
        composite: bool = False,
        internal: bool = False,
    ) -> SelectionBuilder | None:
        """Add a field (or find the one already there); its sub-selections when composite."""
        return self.add_field(
            name, alias=alias, arguments=arguments, composite=composite, internal=internal
        )[1]

    def add_field(
        self,
        name: str,
        *,
        alias: str | None = None,
        arguments: str = "",
        composite: bool = False,
        internal: bool = False,
    ) -> tuple[str, SelectionBuilder | None]:
        """Like `field`, also telling the response key used: an `internal` field whose name
        the client uses for something else is aliased `__hb_<name>`."""
        key = alias or name
        existing = self._fields.get(key)
        if existing is not None and (existing.name != name or existing.arguments != arguments):
            if not internal:
                raise PlanningError(
                    f"the response key {key!r} is used for {existing.name}{existing.arguments} "
                    f"and for {name}{arguments}; the router cannot send both to one subgraph"
                )
            key = alias = INTERNAL_PREFIX + name
            existing = self._fields.get(key)
        if existing is None:
            alias = None if alias == name else alias
            existing = self._fields[key] = _FieldBuilder(name, alias, arguments, composite)
        return key, existing.selections

    def fragment(self, type_condition: str) -> SelectionBuilder:
        builder = self._fragments.get(type_condition)
        if builder is None:
            builder = self._fragments[type_condition] = SelectionBuilder()
        return builder

    def add(self, selections: Iterable[Selection], *, internal: bool = False) -> None:
        """Merge frozen selections in (key fields, required fields)."""
        for selection in selections:
            if isinstance(selection, FragmentSelection):
                self.fragment(selection.type_condition).add(selection.selections, internal=internal)
                continue
            sub = self.field(
                selection.name,
                alias=selection.alias,
                arguments=selection.arguments,
                composite=selection.selections is not None,
                internal=internal,
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
            out.append(FieldSelection(f.name, f.alias, f.arguments, subs))
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
