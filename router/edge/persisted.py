"""Persisted queries: Automatic Persisted Queries (Apollo's protocol) and the safelist.

APQ: a client sends `extensions.persistedQuery = {version: 1, sha256Hash}` without the query;
we answer `PERSISTED_QUERY_NOT_FOUND` until it resends hash and query once, then the hash is
enough. The safelist is a manifest of operations (Apollo's persisted-query manifest format:
`{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{"id", "name",
"type", "body"}]}`); when enforced, only its operations run, sent by hash or in full.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import orjson

from router.cache import LRUCache
from router.edge.refusal import Refusal
from router.gateway import GraphQLRequest

__all__ = ["Manifest", "PersistedQueries", "load_manifest", "sha256"]


def sha256(query: str) -> str:
    return hashlib.sha256(query.encode()).hexdigest()


@dataclass(frozen=True)
class Manifest:
    """Persisted operations by id (the manifest's id and the sha256 of the body)."""

    operations: Mapping[str, str]

    def bodies(self) -> list[str]:
        return sorted(set(self.operations.values()))


def load_manifest(path: Path) -> Manifest:
    """Read a persisted-query manifest; ValueError says what is wrong with it."""
    document: Any = orjson.loads(path.read_bytes())
    items = document.get("operations") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise ValueError(f"{path}: expected an object with an 'operations' list")
    operations: dict[str, str] = {}
    for item in items:
        body = item.get("body") if isinstance(item, dict) else None
        if not isinstance(body, str) or not body.strip():
            raise ValueError(f"{path}: every operation needs a 'body'")
        operations[sha256(body)] = body
        if isinstance(item.get("id"), str):
            operations[item["id"]] = body
    return Manifest(operations)


class PersistedQueries:
    """Turns a request's persisted-query extension into its query, or refuses it."""

    def __init__(
        self,
        *,
        apq: bool,
        cache_size: int,
        manifest: Manifest | None = None,
        safelist: bool = False,
    ) -> None:
        self.apq = apq
        self.cache: LRUCache[str, str] = LRUCache(cache_size)
        self.manifest = manifest
        self.safelist = safelist and manifest is not None

    def resolve(self, request: GraphQLRequest) -> GraphQLRequest:
        """The request with its query filled in and checked against the safelist."""
        persisted = (request.extensions or {}).get("persistedQuery")
        query = request.query or None
        if persisted is not None:
            digest = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
            if not isinstance(digest, str) or persisted.get("version") != 1:
                raise Refusal(400, "PERSISTED_QUERY_INVALID", "Unsupported persisted query.")
            known = self.manifest.operations.get(digest) if self.manifest else None
            if query is None:
                query = known or (self.cache.get(digest) if self.apq else None)
                if query is None:
                    if not self.apq and not self.safelist:
                        raise Refusal(
                            400,
                            "PERSISTED_QUERY_NOT_SUPPORTED",
                            "PersistedQueryNotSupported",
                        )
                    raise Refusal(200, "PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
            elif sha256(query) != digest and known != query:
                raise Refusal(
                    400,
                    "PERSISTED_QUERY_HASH_MISMATCH",
                    "The provided sha256Hash does not match the query.",
                )
            elif self.apq:
                self.cache.put(digest, query)
        if query is None:
            raise Refusal(400, "BAD_REQUEST", "Must provide query string.")
        if self.safelist and not self._listed(query):
            raise Refusal(
                400,
                "PERSISTED_QUERY_NOT_IN_LIST",
                "Only persisted operations may run here.",
            )
        return replace(request, query=query)

    def _listed(self, query: str) -> bool:
        assert self.manifest is not None
        return self.manifest.operations.get(sha256(query)) == query
