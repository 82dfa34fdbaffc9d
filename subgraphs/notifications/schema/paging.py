"""The paging arguments of the notification lists: `first`/`after`, or the deprecated
`page`/`pageSize` (pages counted from 1)."""

from __future__ import annotations

import strawberry

from subgraphs.notifications.service.inbox import MAX_PAGE_SIZE, numbered_window
from subgraphs.shared.connections import USE_CURSORS, Window, refuse_mixed, window

DEFAULT_SIZE = 20

FirstArg = strawberry.argument(description="How many notifications (1 to 100; 20 if not given).")
PageArg = strawberry.argument(
    description="The page number, from 1.", deprecation_reason=USE_CURSORS
)
PageSizeArg = strawberry.argument(description="Items per page.", deprecation_reason=USE_CURSORS)


def read_window(
    list_name: str, page: int | None, page_size: int | None, first: int | None, after: str | None
) -> Window:
    """The part of the list asked for; BAD_USER_INPUT for a bad cursor or mixed arguments."""
    legacy = page is not None or page_size is not None
    refuse_mixed(legacy_given=legacy, first=first, after=after)
    if legacy:
        return numbered_window(page or 1, page_size or DEFAULT_SIZE)
    return window(
        list_name=list_name,
        first=first,
        after=after,
        default_size=DEFAULT_SIZE,
        maximum=MAX_PAGE_SIZE,
    )
