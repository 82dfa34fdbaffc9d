"""A query plan: plain data saying which subgraph fetches to make, in which order, merged where.

A plan is a set of fetches forming a DAG (`depends_on`). A fetch either asks a subgraph's root
(`path == ()`) or, for entities, collects objects at `path` in the response being built ("@"
steps into list items), sends their representations to `_entities`, and merges the answers
back into those objects.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from router.selection import Selection, print_selections

__all__ = ["ContextSource", "ContextValue", "Fetch", "QueryPlan", "Representation"]


@dataclass(frozen=True)
class ContextSource:
    """Where an object's `@fromContext` value is: the response key `field` of its ancestor
    `depth` steps down the fetch's path, when that ancestor's `__typename` is `typename`
    (None: the position has one possible type, nothing to check)."""

    depth: int
    field: str
    typename: str | None = None


@dataclass(frozen=True)
class ContextValue:
    """A `@fromContext` value sent as the variable `variable` (one request per distinct
    value): read from the first of `sources`, deepest first, that matches the object's
    ancestors (a context set on several types reads each type's own selection)."""

    variable: str
    sources: tuple[ContextSource, ...]


@dataclass(frozen=True)
class Representation:
    """How to represent an object of runtime type `typename` to the subgraph's `_entities`."""

    typename: str
    as_typename: str
    key: tuple[Selection, ...]
    requires: tuple[Selection, ...] = ()


@dataclass(frozen=True)
class Fetch:
    id: int
    subgraph: str
    path: tuple[str, ...]
    operation: str
    variables: tuple[str, ...] = ()
    representations: tuple[Representation, ...] = ()
    depends_on: tuple[int, ...] = ()
    # For entity fetches: what goes inside `_entities { ... }`, and the variables' types, so
    # that several entity fetches can be sent as one request (router.batching).
    entity_selection: str = ""
    variable_definitions: tuple[str, ...] = ()
    # The selections (inside `_entities` for entity fetches) when some answer keys must be
    # restored to the client's (router.restore); empty otherwise.
    restores: tuple[Selection, ...] = ()
    contexts: tuple[ContextValue, ...] = ()

    @property
    def is_entity_fetch(self) -> bool:
        return bool(self.representations)


@dataclass(frozen=True)
class QueryPlan:
    kind: str
    fetches: tuple[Fetch, ...]

    @cached_property
    def repeated_entity_selections(self) -> frozenset[tuple[str, str]]:
        """(subgraph, `_entities` selection) pairs asked by more than one fetch (worked out
        once per plan, which the plan cache keeps)."""
        counts = Counter(
            (f.subgraph, f.entity_selection) for f in self.fetches if f.is_entity_fetch
        )
        return frozenset(pair for pair, count in counts.items() if count > 1)

    def describe(self) -> str:
        """The plan in words a person can read."""
        if not self.fetches:
            return f"{self.kind}: nothing to fetch from subgraphs"
        lines = [f"{self.kind} plan, {len(self.fetches)} fetch(es):"]
        for fetch in self.fetches:
            after = (
                " after " + ", ".join(f"#{d}" for d in fetch.depends_on)
                if fetch.depends_on
                else " first"
            )
            where = "/".join(fetch.path) if fetch.path else "the root"
            lines.append(f"  #{fetch.id} {fetch.subgraph}{after}, merged at {where}:")
            for rep in fetch.representations:
                rep_text = print_selections(rep.key)
                if rep.requires:
                    rep_text += " + requires " + print_selections(rep.requires)
                alias = "" if rep.as_typename == rep.typename else f" as {rep.as_typename}"
                lines.append(f"      represent {rep.typename}{alias} by {rep_text}")
            for context in fetch.contexts:
                sources = " | ".join(_source(fetch.path, s) for s in context.sources)
                lines.append(f"      ${context.variable} = {sources or 'null'}")
            lines.append(f"      {fetch.operation}")
        return "\n".join(lines)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "fetches": [
                {
                    "id": f.id,
                    "subgraph": f.subgraph,
                    "path": list(f.path),
                    "operation": f.operation,
                    "dependsOn": list(f.depends_on),
                }
                for f in self.fetches
            ],
        }


def _source(path: tuple[str, ...], source: ContextSource) -> str:
    at = "/".join(path[: source.depth]) or "the root"
    on = f" on {source.typename}" if source.typename else ""
    return f"{source.field} of {at}{on}"
