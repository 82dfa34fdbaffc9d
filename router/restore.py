"""Put answers asked under a planner's alias back under the client's response key.

When one subgraph selection must use one response key for fields of different types (an
`ID!` on one member, an `ID` on another), the planner sends the second one aliased and
marks it `restore` (see `router.selection`). `restore_keys` walks a subgraph's answer along
the fetch's selections and renames those keys back before the answer is merged.
"""

from __future__ import annotations

from typing import Any

from router.selection import FragmentSelection, Selection

__all__ = ["needs_restore", "restore_keys"]


def needs_restore(selections: tuple[Selection, ...]) -> bool:
    for s in selections:
        if isinstance(s, FragmentSelection):
            if needs_restore(s.selections):
                return True
        elif s.restore is not None or (s.selections and needs_restore(s.selections)):
            return True
    return False


def restore_keys(value: Any, selections: tuple[Selection, ...]) -> None:
    """Rename aliased keys in `value` (an object or a list of them) in place."""
    if isinstance(value, list):
        for item in value:
            restore_keys(item, selections)
        return
    if not isinstance(value, dict):
        return
    for s in selections:
        if isinstance(s, FragmentSelection):
            restore_keys(value, s.selections)
            continue
        key = s.response_key
        if key not in value:
            continue
        if s.selections:
            restore_keys(value[key], s.selections)
        if s.restore is not None:
            value[s.restore] = value.pop(key)
