"""Several `_entities` fetches to one subgraph sent as one request.

Fetches that become ready together (same subgraph, same dependencies) are combined into
one operation with an aliased `_entities` field per distinct selection; fetches with the
same selection share one list of representations, deduplicated across them. The answer is
split back into one ordinary `_entities` answer per fetch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from router.plan import Fetch

__all__ = ["EntityRequest", "combine", "split"]

Json = dict[str, Any]


@dataclass(frozen=True)
class EntityRequest:
    fetch: Fetch
    representations: list[Json]
    variables: Json


@dataclass(frozen=True)
class Combined:
    body: Json
    # For each request, where the answer for its n-th representation is: (alias, index).
    locations: list[list[tuple[str, int]]]


def combine(requests: list[EntityRequest]) -> Combined:
    """One request body answering every `_entities` fetch in `requests`."""
    groups: dict[str, tuple[str, list[Json], dict[bytes, int]]] = {}
    locations: list[list[tuple[str, int]]] = []
    definitions: dict[str, str] = {}
    variables: Json = {}
    for request in requests:
        fetch = request.fetch
        group = groups.get(fetch.entity_selection)
        if group is None:
            group = groups[fetch.entity_selection] = (f"_{len(groups)}", [], {})
        alias, representations, seen = group
        where: list[tuple[str, int]] = []
        for representation in request.representations:
            encoded = orjson.dumps(representation)
            index = seen.get(encoded)
            if index is None:
                index = seen[encoded] = len(representations)
                representations.append(representation)
            where.append((alias, index))
        locations.append(where)
        definitions.update(zip(fetch.variables, fetch.variable_definitions, strict=True))
        variables.update(request.variables)
    params = [f"$__r{alias}: [_Any!]!" for alias, _, _ in groups.values()]
    params += [definitions[name] for name in sorted(definitions)]
    fields = " ".join(
        f"{alias}: _entities(representations: $__r{alias}) {selection}"
        for selection, (alias, _, _) in groups.items()
    )
    for alias, representations, _ in groups.values():
        variables[f"__r{alias}"] = representations
    return Combined(
        {"query": f"query({', '.join(params)}) {{ {fields} }}", "variables": variables}, locations
    )


def split(answer: Json, combined: Combined) -> list[Json]:
    """One ordinary `_entities` answer per request, errors included with their paths."""
    data = answer.get("data") if isinstance(answer.get("data"), dict) else None
    parts: list[Json] = []
    for where in combined.locations:
        entities: list[Any] | None = None
        if data is not None:
            entities = [_at(data.get(alias), index) for alias, index in where]
        parts.append({"data": {"_entities": entities}, "errors": []})
    for error in answer.get("errors") or ():
        path = error.get("path") if isinstance(error, dict) else None
        owner, local = _owner(path, combined.locations)
        routed = error
        if owner is not None and isinstance(path, list):
            routed = {**error, "path": ["_entities", local, *path[2:]]}
        parts[owner or 0]["errors"].append(routed)
    return parts


def _at(values: Any, index: int) -> Any:
    return values[index] if isinstance(values, list) and index < len(values) else None


def _owner(path: Any, locations: list[list[tuple[str, int]]]) -> tuple[int | None, int]:
    if not isinstance(path, list) or len(path) < 2 or not isinstance(path[1], int):
        return None, 0
    for owner, where in enumerate(locations):
        for local, location in enumerate(where):
            if location == (path[0], path[1]):
                return owner, local
    return None, 0
