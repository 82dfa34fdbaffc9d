"""The paging arguments of identity's lists: `first`/`after`, or the deprecated `offset`/`limit`.

Every list answers with a connection (`edges`, `nodes`, `pageInfo`, `totalCount`); the old
`items`/`total`/`offset`/`limit` fields stay, deprecated.
"""

from __future__ import annotations

import strawberry

from subgraphs.identity.schema.context import MAX_PAGE, page
from subgraphs.shared.connections import USE_CURSORS, Window, refuse_mixed, window

FirstArg = strawberry.argument(description="How many items (1 to 100; the default if not given).")
OffsetArg = strawberry.argument(deprecation_reason=USE_CURSORS)
LimitArg = strawberry.argument(deprecation_reason="Use `first`.")


def read_window(
    *,
    list_name: str,
    offset: int | None,
    limit: int | None,
    first: int | None,
    after: str | None,
    default_size: int,
) -> Window:
    """The part of the list asked for; BAD_USER_INPUT for a bad cursor or mixed arguments."""
    legacy = offset is not None or limit is not None
    refuse_mixed(legacy_given=legacy, first=first, after=after)
    if legacy:
        start, size = page(offset or 0, default_size if limit is None else limit)
        return Window(offset=start, limit=size)
    return window(
        list_name=list_name, first=first, after=after, default_size=default_size, maximum=MAX_PAGE
    )
