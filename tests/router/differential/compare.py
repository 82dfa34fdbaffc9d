"""How two gateways' answers must agree (the documented Hive Gateway 2.15.1 leniencies)."""

from __future__ import annotations

from typing import Any

import orjson

__all__ = ["assert_same_answer", "error_paths"]


def error_paths(answer: dict[str, Any]) -> list[str]:
    """Error paths without list indices, as a sorted multiset.

    Hive Gateway 2.15.1 drops the list indices above an entity fetch's merge point
    (`["users", "reviews", 0, "broken"]` for `users[0].reviews[0].broken`), so indices are
    left out here; `tests/router/execution` checks our full paths.
    """
    return sorted(
        orjson.dumps([p for p in e.get("path") or () if not isinstance(p, int)]).decode()
        for e in answer.get("errors") or ()
    )


def _masked(answer: dict[str, Any]) -> bool:
    return any(
        (e.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR"
        for e in answer.get("errors") or ()
    )


def assert_same_answer(ours: dict[str, Any], hive: dict[str, Any], context: str) -> None:
    """Identical `data` (key order included), errors present alike and at the same paths."""
    context = f"{context}\nours: {ours}\nhive: {hive}"
    assert ("data" in ours) == ("data" in hive), context
    assert orjson.dumps(ours.get("data")) == orjson.dumps(hive.get("data")), context
    assert bool(ours.get("errors")) == bool(hive.get("errors")), context
    if _masked(hive):
        # Hive Gateway masks some subgraph-originated null propagations as one
        # "Unexpected error." higher up; then only require that we report errors too.
        return
    if ours.get("data") is None and hive.get("data") is None:
        # Once null propagation reaches the root, Hive Gateway stops reporting the errors
        # of fetches that finish later; we report every one. Hive's must be among ours.
        assert not set(error_paths(hive)) - set(error_paths(ours)), context
        return
    assert error_paths(ours) == error_paths(hive), context
