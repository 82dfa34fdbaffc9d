"""`@fromContext` values at execution: each object's value from its ancestor, grouped.

An entity fetch with `contexts` (router.plan.ContextValue) is sent once per distinct set of
values, each request with the objects sharing those values. An object's value comes from the
first source (deepest first) whose ancestor is there and, when the source names a type, has
that `__typename`; none matching gives null.
"""

from __future__ import annotations

from typing import Any

import orjson

from router.plan import ContextValue, Fetch
from router.selection import INTERNAL_PREFIX

__all__ = ["context_groups"]

Json = dict[str, Any]


def context_groups(data: Json, fetch: Fetch) -> list[tuple[Json, list[Json]]]:
    """(variables, objects) per distinct set of context values, in first-seen order."""
    depths = {s.depth for c in fetch.contexts for s in c.sources}
    groups: dict[bytes, tuple[Json, list[Json]]] = {}
    for obj, ancestors in _with_ancestors(data, fetch.path, depths):
        values = {c.variable: _value(c, ancestors) for c in fetch.contexts}
        group = groups.setdefault(orjson.dumps(values), (values, []))
        group[1].append(obj)
    return list(groups.values())


def _value(context: ContextValue, ancestors: dict[int, Json]) -> Any:
    for source in context.sources:
        ancestor = ancestors.get(source.depth)
        if ancestor is None:
            continue
        if source.typename is not None and ancestor.get("__typename") != source.typename:
            continue
        return ancestor.get(INTERNAL_PREFIX + source.field, ancestor.get(source.field))
    return None


def _with_ancestors(
    data: Json, path: tuple[str, ...], depths: set[int]
) -> list[tuple[Json, dict[int, Json]]]:
    current: list[tuple[Any, dict[int, Json]]] = [(data, {})]
    for index, step in enumerate(path):
        if index in depths:
            current = [(v, {**a, index: v}) for v, a in current if isinstance(v, dict)]
        following: list[tuple[Any, dict[int, Json]]] = []
        for value, ancestors in current:
            if step == "@" and isinstance(value, list):
                following.extend((item, ancestors) for item in value if item is not None)
            elif step != "@" and isinstance(value, dict) and value.get(step) is not None:
                following.append((value[step], ancestors))
        current = following
    if len(path) in depths:
        current = [(v, {**a, len(path): v}) for v, a in current if isinstance(v, dict)]
    return [(v, a) for v, a in current if isinstance(v, dict)]
