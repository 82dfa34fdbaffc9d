"""Execute a query plan: run its fetches as their dependencies allow and merge the answers.

The result is the merged data (keyed by the client's response keys, plus the key and
required fields the plan added) and the subgraph errors with paths in the client's shape.
Shaping that into the final response is `router.response`'s job.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import orjson

from router.batching import EntityRequest, combine, split
from router.contexts import context_groups
from router.entity_memo import Claim, EntityMemo
from router.plan import Fetch, QueryPlan, Representation
from router.restore import restore_keys
from router.selection import INTERNAL_PREFIX, FieldSelection, FragmentSelection, Selection

__all__ = ["FetchFailed", "SubgraphCall", "execute_plan", "typename_of"]

log = logging.getLogger(__name__)

Json = dict[str, Any]
Path = list[str | int]
# Sends one fetch's GraphQL request body to its subgraph and returns the decoded answer.
SubgraphCall = Callable[[Fetch, Json], Awaitable[Json]]


class FetchFailed(Exception):
    """A subgraph could not be asked or gave no GraphQL answer (down, timeout, bad HTTP)."""

    def __init__(self, subgraph: str, reason: str, *, code: str = "SUBREQUEST_HTTP_ERROR") -> None:
        super().__init__(f"{subgraph}: {reason}")
        self.subgraph = subgraph
        self.reason = reason
        self.code = code


async def execute_plan(
    plan: QueryPlan, variables: Mapping[str, Any], call: SubgraphCall
) -> tuple[Json, list[Json]]:
    """Run every fetch of `plan`; return the merged data and the errors met."""
    data: Json = {}
    errors: list[Json] = []
    memo = EntityMemo(plan)
    if len(plan.fetches) == 1:
        await _run(plan.fetches[0], data, errors, variables, call, memo)
        return data, errors
    tasks: dict[int, asyncio.Task[None]] = {}
    # Serial mutation fields stop at the first one whose failure nulls the response.
    halted: list[bool] = []

    async def after_dependencies(unit: list[Fetch]) -> None:
        depends_on = {d for fetch in unit for d in fetch.depends_on}
        if depends_on:
            await asyncio.gather(*(tasks[d] for d in depends_on))
        root_mutation = plan.kind == "mutation" and not unit[0].is_entity_fetch
        if root_mutation and halted:
            return
        if len(unit) == 1:
            answer = await _run(unit[0], data, errors, variables, call, memo)
            if root_mutation and (answer is None or answer.get("data") is None):
                halted.append(True)
        else:
            await _run_together(unit, data, errors, variables, call, memo)

    for unit in _units(plan):
        task = asyncio.ensure_future(after_dependencies(unit))
        for fetch in unit:
            tasks[fetch.id] = task
    await asyncio.gather(*set(tasks.values()))
    return data, _distinct(errors)


def _distinct(errors: list[Json]) -> list[Json]:
    """One error per message and path: two subgraphs failing one shared field say it once."""
    seen: set[bytes] = set()
    out: list[Json] = []
    for error in errors:
        marker = orjson.dumps([error.get("message"), error.get("path")])
        if marker not in seen:
            seen.add(marker)
            out.append(error)
    return out


def _units(plan: QueryPlan) -> list[list[Fetch]]:
    """Fetches sent together: entity fetches to one subgraph at the same depth of the plan.

    A fetch's depth is one more than the deepest fetch it waits for; fetches to one subgraph
    at one depth go as one request once all of them can, which trades a little waiting for
    far fewer subgraph requests (the gateways benchmark query: 7 instead of 13).
    """
    depth: dict[int, int] = {}
    units: dict[tuple[Any, ...], list[Fetch]] = {}
    for fetch in plan.fetches:  # in dependency order
        depth[fetch.id] = 1 + max((depth[d] for d in fetch.depends_on), default=-1)
        batched = fetch.is_entity_fetch and not fetch.contexts
        key = (fetch.subgraph, depth[fetch.id]) if batched else (fetch.id,)
        units.setdefault(key, []).append(fetch)
    return list(units.values())


async def _run_together(
    unit: list[Fetch],
    data: Json,
    errors: list[Json],
    variables: Mapping[str, Any],
    call: SubgraphCall,
    memo: EntityMemo,
) -> None:
    claims: list[tuple[Fetch, Json, Claim]] = []
    for fetch in unit:
        targets, representations = _representations(data, fetch)
        if representations:
            fetch_variables = {v: variables[v] for v in fetch.variables if v in variables}
            claim = memo.claim(fetch, fetch_variables, targets, representations)
            claims.append((fetch, fetch_variables, claim))
    await _ask_claims([c for c in claims if c[2].representations], data, errors, call, memo)
    for fetch, _, claim in claims:
        await _reuse(data, fetch, claim, errors)


async def _run(
    fetch: Fetch,
    data: Json,
    errors: list[Json],
    variables: Mapping[str, Any],
    call: SubgraphCall,
    memo: EntityMemo,
) -> Json | None:
    """Run one fetch; the subgraph's answer (None when it gave none)."""
    body: Json = {"query": fetch.operation}
    fetch_variables = {v: variables[v] for v in fetch.variables if v in variables}
    if not fetch.is_entity_fetch:
        if fetch_variables:
            body["variables"] = fetch_variables
        answer = await _ask(fetch, body, errors, call)
        if answer is None:
            return None
        if isinstance(answer.get("data"), dict):
            if fetch.restores:
                restore_keys(answer["data"], fetch.restores)
            _merge(data, answer["data"])
        for error in answer.get("errors") or ():
            errors.append(_client_error(error, fetch.subgraph))
        return answer
    if not fetch.contexts:
        return await _run_entities(fetch, data, errors, fetch_variables, call, None, memo)
    for answer in await asyncio.gather(
        *(
            _run_entities(fetch, data, errors, {**fetch_variables, **values}, call, objects, memo)
            for values, objects in context_groups(data, fetch)
        )
    ):
        if answer is not None:
            return answer
    return None


async def _run_entities(
    fetch: Fetch,
    data: Json,
    errors: list[Json],
    fetch_variables: Json,
    call: SubgraphCall,
    objects: list[Json] | None,
    memo: EntityMemo,
) -> Json | None:
    """One `_entities` request for the objects at the fetch's path (or `objects`), asking
    only for those no earlier fetch of the plan asked the same."""
    targets, representations = _representations(data, fetch, objects)
    if not representations:
        return None
    claim = memo.claim(fetch, fetch_variables, targets, representations)
    asking = [(fetch, fetch_variables, claim)] if claim.representations else []
    answers = await _ask_claims(asking, data, errors, call, memo)
    await _reuse(data, fetch, claim, errors)
    return answers[0] if answers else None


async def _ask_claims(
    asking: list[tuple[Fetch, Json, Claim]],
    data: Json,
    errors: list[Json],
    call: SubgraphCall,
    memo: EntityMemo,
) -> list[Json | None]:
    """Ask for the claims' representations in one request (several fetches' `_entities`
    aliased in one operation) and merge the answers; every claim is settled in the memo."""
    if not asking:
        return []
    parts: list[Json | None] = [None] * len(asking)
    failure: Json | None = None
    try:
        first, first_claim = asking[0][0], asking[0][2]
        if len(asking) == 1:
            body: Json = {
                "query": first.operation,
                "variables": {**asking[0][1], "representations": first_claim.representations},
            }
        else:
            combined = combine([EntityRequest(f, c.representations, v) for f, v, c in asking])
            body = combined.body
        answer, failure = await _try(first, body, call)
        if failure is not None:
            errors.append({**failure, "path": _first_path(data, first, first_claim.targets)})
        elif answer is not None:
            parts = [answer] if len(asking) == 1 else list(split(answer, combined))
            for (fetch, _, claim), part in zip(asking, parts, strict=True):
                if part is not None:
                    _apply_entities(data, fetch, claim.targets, part, errors)
    finally:
        for (_, _, claim), part in zip(asking, parts, strict=True):
            memo.settle(claim, part, failure)
    return parts


async def _reuse(data: Json, fetch: Fetch, claim: Claim, errors: list[Json]) -> None:
    """Merge the answers other fetches asked for into the objects this fetch reuses them for."""
    paths: dict[int, Path] | None = None
    for objects, future in claim.reused:
        remembered = await future
        if remembered.errors and paths is None:
            paths = _paths_at(data, fetch.path)
        if remembered.entity is not None:
            for obj in objects:
                _merge(obj, orjson.loads(remembered.entity))
        for error, rest in remembered.errors:
            out = _client_error(error, fetch.subgraph)
            out.pop("path", None)
            at = (paths or {}).get(id(objects[0]))
            if at is not None:
                out["path"] = [*at, *(rest or ())]
            errors.append(out)


def _apply_entities(
    data: Json, fetch: Fetch, targets: list[list[Json]], answer: Json, errors: list[Json]
) -> None:
    paths: dict[int, Path] = {}
    if answer.get("errors"):
        paths = _paths_at(data, fetch.path)  # before merging: the objects are still these
    entities = (answer.get("data") or {}).get("_entities")
    if isinstance(entities, list) and fetch.restores:
        restore_keys(entities, fetch.restores)
    if isinstance(entities, list):
        for index, entity in enumerate(entities):
            if isinstance(entity, dict) and index < len(targets):
                for obj in targets[index]:
                    _merge(obj, entity)
    for error in answer.get("errors") or ():
        errors.append(_entity_error(error, fetch.subgraph, targets, paths))


def _first_path(data: Json, fetch: Fetch, targets: list[list[Json]]) -> Path:
    return _paths_at(data, fetch.path).get(id(targets[0][0]), list(fetch.path))


async def _ask(fetch: Fetch, body: Json, errors: list[Json], call: SubgraphCall) -> Json | None:
    answer, failure = await _try(fetch, body, call)
    if failure is not None:
        errors.append(failure)
    return answer


async def _try(fetch: Fetch, body: Json, call: SubgraphCall) -> tuple[Json | None, Json | None]:
    """The subgraph's answer, or the error saying why there is none."""
    try:
        return await call(fetch, body), None
    except FetchFailed as failure:
        return None, {
            "message": f"Subgraph '{fetch.subgraph}' failed: {failure.reason}",
            "extensions": {"code": failure.code, "serviceName": fetch.subgraph},
        }


def _objects_at(data: Json, path: tuple[str, ...]) -> list[Json]:
    current: list[Any] = [data]
    for step in path:
        following: list[Any] = []
        if step == "@":
            for value in current:
                if isinstance(value, list):
                    following.extend(item for item in value if item is not None)
        else:
            for value in current:
                if isinstance(value, dict):
                    child = value.get(step)
                    if child is not None:
                        following.append(child)
        current = following
    return [value for value in current if isinstance(value, dict)]


def _paths_at(data: Json, path: tuple[str, ...]) -> dict[int, Path]:
    """The response path of every object at `path`, by object identity (for errors)."""
    current: list[tuple[Any, Path]] = [(data, [])]
    for step in path:
        following: list[tuple[Any, Path]] = []
        for value, at in current:
            if step == "@" and isinstance(value, list):
                following.extend((v, [*at, i]) for i, v in enumerate(value) if v is not None)
            elif step != "@" and isinstance(value, dict) and value.get(step) is not None:
                following.append((value[step], [*at, step]))
        current = following
    paths: dict[int, Path] = {}
    for value, at in current:
        paths.setdefault(id(value), at)
    return paths


def _representations(
    data: Json, fetch: Fetch, objects: list[Json] | None = None
) -> tuple[list[list[Json]], list[Json]]:
    """Deduplicated representations and, for each, the objects it stands for (all those at
    the fetch's path, or `objects`)."""
    by_type: dict[str, Representation] = {r.typename: r for r in fetch.representations}
    index: dict[bytes, int] = {}
    targets: list[list[Json]] = []
    representations: list[Json] = []
    for obj in _objects_at(data, fetch.path) if objects is None else objects:
        spec = by_type.get(typename_of(obj))
        if spec is None:
            continue
        rep: Json = {"__typename": spec.as_typename}
        if not _project(obj, spec.key, rep, strict=True):
            continue
        if spec.requires:
            _project(obj, spec.requires, rep, strict=False)
        encoded = orjson.dumps(rep)
        position = index.get(encoded)
        if position is None:
            position = index[encoded] = len(representations)
            representations.append(rep)
            targets.append([])
        targets[position].append(obj)
    return targets, representations


_MISSING: Any = object()


def typename_of(obj: Json) -> str:
    """The object's `__typename`, wherever the plan had it fetched."""
    name = obj.get(INTERNAL_PREFIX + "__typename") or obj.get("__typename")
    return name if isinstance(name, str) else ""


def _project(obj: Json, selections: tuple[Selection, ...], out: Json, *, strict: bool) -> bool:
    for selection in selections:
        if isinstance(selection, FragmentSelection):
            if typename_of(obj) == selection.type_condition:
                _project(obj, selection.selections, out, strict=strict)
            continue
        if selection.alias and selection.alias.startswith(INTERNAL_PREFIX):
            value = obj.get(selection.alias, _MISSING)  # a required field with arguments
            if value is _MISSING:
                value = obj.get(selection.name)
        else:
            value = obj.get(INTERNAL_PREFIX + selection.name, _MISSING)
            if value is _MISSING:
                value = obj.get(selection.response_key)
        if value is None and strict:
            return False
        out[selection.name] = _project_value(value, selection)
    return True


def _project_value(value: Any, selection: FieldSelection) -> Any:
    if selection.selections is None or value is None:
        return value
    if isinstance(value, list):
        return [_project_value(item, selection) for item in value]
    if isinstance(value, dict):
        out: Json = {}
        _project(value, selection.selections, out, strict=False)
        return out
    return value


def _merge(target: Json, source: Json) -> None:
    for key, value in source.items():
        existing = target.get(key)
        if isinstance(existing, dict) and isinstance(value, dict):
            _merge(existing, value)
        elif isinstance(existing, list) and isinstance(value, list) and len(existing) == len(value):
            for i, (old, new) in enumerate(zip(existing, value, strict=True)):
                if isinstance(old, dict) and isinstance(new, dict):
                    _merge(old, new)
                elif old is None:
                    existing[i] = new
        else:
            target[key] = value


def _client_error(error: Any, subgraph: str) -> Json:
    if not isinstance(error, dict):
        return {"message": str(error)}
    out: Json = {"message": str(error.get("message", "Unknown subgraph error"))}
    if isinstance(error.get("path"), list):
        out["path"] = error["path"]
    extensions = error.get("extensions")
    if isinstance(extensions, dict):
        out["extensions"] = extensions
    return out


def _entity_error(
    error: Any, subgraph: str, targets: list[list[Json]], paths: dict[int, Path]
) -> Json:
    out = _client_error(error, subgraph)
    path = out.pop("path", None)
    if (
        isinstance(path, list)
        and len(path) >= 2
        and path[0] == "_entities"
        and isinstance(path[1], int)
        and 0 <= path[1] < len(targets)
    ):
        at = paths.get(id(targets[path[1]][0]))
        if at is not None:
            out["path"] = [*at, *path[2:]]
    return out
