"""Relay cursor connections, shared by every subgraph's lists.

One pagination shape for every list: `first`/`after` arguments and a connection with
`edges { cursor node }`, `nodes`, `pageInfo { hasNextPage hasPreviousPage startCursor
endCursor }` and `totalCount` (what urql Graphcache's `relayPagination` expects).

A cursor is opaque: base64url of `<list>:<position>:<check>`, where the check is an HMAC
over the list's name and the position. An edited, truncated or foreign cursor (one from
another list) is refused with BAD_USER_INPUT on the `after` argument. The check guards
integrity, not secrecy: the position is the item's offset in the list's stable order
(every list sorts on a unique key last), which any caller may read through `offset` anyway.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Self, TypeVar

import strawberry

from subgraphs.shared.errors import BadUserInput

Node = TypeVar("Node")
Row = TypeVar("Row")

# Integrity only (see the module's docstring): a fixed key, so that cursors outlive restarts
# and any replica of a subgraph accepts another's cursors.
_KEY = b"healthbook-connection-cursor-v1"
_CHECK_LENGTH = 16

# What every list's deprecated paging arguments point to, and the `after` argument itself.
USE_CURSORS = "Use `first` and `after` (a cursor from `pageInfo.endCursor`)."
AfterArg = strawberry.argument(description="Continue after this cursor (`pageInfo.endCursor`).")


def _check(list_name: str, position: int) -> str:
    body = f"{list_name}:{position}".encode()
    return hmac.new(_KEY, body, hashlib.sha256).hexdigest()[:_CHECK_LENGTH]


def encode_cursor(list_name: str, position: int) -> str:
    """The cursor of the item at `position` (0-based) of the list named `list_name`."""
    text = f"{list_name}:{position}:{_check(list_name, position)}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(list_name: str, cursor: str, *, field: str = "after") -> int:
    """The position a cursor of this list names; BAD_USER_INPUT for anything else."""
    refused = BadUserInput("The cursor is not one this list gave out.", field=field)
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        name, position_text, check = text.rsplit(":", 2)
        position = int(position_text)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise refused from None
    if name != list_name or position < 0 or position_text != str(position):
        raise refused
    if not hmac.compare_digest(check, _check(list_name, position)):
        raise refused
    return position


@dataclass(frozen=True)
class Window:
    """Which part of a list to read: `limit` items from `offset`."""

    offset: int
    limit: int


def window(
    *,
    list_name: str,
    first: int | None,
    after: str | None,
    default_size: int,
    maximum: int,
) -> Window:
    """The window `first`/`after` ask for: the `first` items after the `after` cursor."""
    size = default_size if first is None else first
    if not 1 <= size <= maximum:
        raise BadUserInput(f"`first` must be 1 to {maximum}, got {size}.", field="first")
    start = 0 if after is None else decode_cursor(list_name, after) + 1
    return Window(offset=start, limit=size)


def refuse_mixed(*, legacy_given: bool, first: int | None, after: str | None) -> None:
    """Refuse a deprecated paging argument given together with `first`/`after`."""
    if legacy_given and (first is not None or after is not None):
        raise BadUserInput(
            "Give either `first`/`after` or the deprecated paging argument, not both.",
            field="after",
        )


@strawberry.type(description="One item of a list and the cursor to continue after it.")
class Edge(Generic[Node]):
    cursor: str
    node: Node


@dataclass(frozen=True)
class PageFacts:
    """Where a page is in its list (the plain values of a connection's `pageInfo`)."""

    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


def page_facts(*, list_name: str, offset: int, count: int, total: int) -> PageFacts:
    """The page info of `count` items read from `offset` of a list of `total` items."""
    return PageFacts(
        has_next_page=offset + count < total,
        has_previous_page=offset > 0,
        start_cursor=encode_cursor(list_name, offset) if count else None,
        end_cursor=encode_cursor(list_name, offset + count - 1) if count else None,
    )


def edges(
    *, list_name: str, offset: int, rows: Sequence[Row], to_node: Callable[[Row], Node]
) -> list[Edge[Node]]:
    """The edges of `rows` read from `offset` of the list, each with its own cursor."""
    return [
        Edge(cursor=encode_cursor(list_name, offset + index), node=to_node(row))
        for index, row in enumerate(rows)
    ]


@strawberry.type(description="Where a page is in its list.")
class ConnectionPageInfo:
    """Subclass it under a subgraph's own name (`<Thing>PageInfo`): a type of the same name
    in two subgraphs would have to be shared in federation."""

    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None

    @classmethod
    def of(cls, facts: PageFacts) -> Self:
        return cls(
            has_next_page=facts.has_next_page,
            has_previous_page=facts.has_previous_page,
            start_cursor=facts.start_cursor,
            end_cursor=facts.end_cursor,
        )
