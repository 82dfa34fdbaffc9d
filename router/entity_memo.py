"""Entity answers already asked for in one request, reused by later fetches of the plan.

Two fetches of one plan may ask one subgraph the same `_entities` selection at different
places (`items { stock }` and `featured { item { stock } }`): once the first has asked for
an object, the second need not ask for it again. The memo keeps, per (subgraph, selection,
variables, representation), the entity answered and the errors at its path, as a future
so that a fetch running meanwhile waits for the answer instead of asking twice. A fetch
sends only the representations no fetch has claimed yet, and no request at all when every
one was (what Hive Gateway's per-request loaders do too).

Only fetches whose (subgraph, selection) occurs more than once in the plan take part, and
never in mutation plans (an entity may change between two mutation fields).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

import orjson

from router.plan import Fetch, QueryPlan

__all__ = ["Claim", "EntityMemo", "Remembered"]

Json = dict[str, Any]


@dataclass(frozen=True)
class Remembered:
    """One representation's answer: the entity (encoded, so that every reuse decodes its own
    copy) and its errors, each with the path below the entity or, for a failed request, none."""

    entity: bytes | None
    errors: tuple[tuple[Json, list[Any] | None], ...] = ()


@dataclass
class Claim:
    """A fetch's representations split into those it asks for and those it reuses."""

    targets: list[list[Json]]
    representations: list[Json]
    keys: list[bytes] = field(default_factory=list)
    reused: list[tuple[list[Json], asyncio.Future[Remembered]]] = field(default_factory=list)


class EntityMemo:
    def __init__(self, plan: QueryPlan) -> None:
        repeated = plan.repeated_entity_selections
        self._shared = frozenset() if plan.kind == "mutation" else repeated
        self._answers: dict[bytes, asyncio.Future[Remembered]] = {}

    def claim(
        self, fetch: Fetch, variables: Json, targets: list[list[Json]], representations: list[Json]
    ) -> Claim:
        """Take the representations no fetch has asked for; the others wait for their answer."""
        if (fetch.subgraph, fetch.entity_selection) not in self._shared:
            return Claim(targets, representations)
        prefix = orjson.dumps(
            [fetch.subgraph, fetch.entity_selection, variables], option=orjson.OPT_SORT_KEYS
        )
        claim = Claim([], [])
        loop = asyncio.get_running_loop()
        for objects, representation in zip(targets, representations, strict=True):
            key = prefix + orjson.dumps(representation, option=orjson.OPT_SORT_KEYS)
            known = self._answers.get(key)
            if known is not None:
                claim.reused.append((objects, known))
                continue
            self._answers[key] = loop.create_future()
            claim.keys.append(key)
            claim.targets.append(objects)
            claim.representations.append(representation)
        return claim

    def settle(self, claim: Claim, answer: Json | None, failure: Json | None = None) -> None:
        """Record the answer to the claim's own representations (None: the request failed
        with `failure`, or was never made)."""
        if not claim.keys:
            return
        found = ((answer or {}).get("data") or {}).get("_entities")
        entities: list[Any] = found if isinstance(found, list) else []
        errors: dict[int, list[tuple[Json, list[Any] | None]]] = {}
        for error in (answer or {}).get("errors") or ():
            path = error.get("path") if isinstance(error, dict) else None
            if isinstance(path, list) and len(path) >= 2 and isinstance(path[1], int):
                errors.setdefault(path[1], []).append((error, path[2:]))
        for index, key in enumerate(claim.keys):
            future = self._answers[key]
            if future.done():
                continue
            if answer is None:
                failed = ((failure, None),) if failure is not None else ()
                future.set_result(Remembered(None, failed))
                continue
            entity = entities[index] if index < len(entities) else None
            encoded = orjson.dumps(entity) if isinstance(entity, dict) else None
            future.set_result(Remembered(encoded, tuple(errors.get(index, ()))))
