"""The paging arguments of the appointment lists: `first`/`after` or the deprecated `page`."""

from __future__ import annotations

import strawberry

from subgraphs.appointments.schema.types import AppointmentPageInput
from subgraphs.appointments.service.queries import PAGE_MAX
from subgraphs.shared.connections import USE_CURSORS, Window, refuse_mixed, window

DEFAULT_SIZE = 20

FirstArg = strawberry.argument(description="How many appointments (1 to 100; 20 if not given).")
PageArg = strawberry.argument(deprecation_reason=USE_CURSORS)


def read_window(
    *, list_name: str, page: AppointmentPageInput | None, first: int | None, after: str | None
) -> Window:
    """The part of the list asked for; BAD_USER_INPUT for a bad cursor or mixed arguments."""
    refuse_mixed(legacy_given=page is not None, first=first, after=after)
    if page is not None:
        return Window(offset=page.offset, limit=page.limit)
    return window(
        list_name=list_name, first=first, after=after, default_size=DEFAULT_SIZE, maximum=PAGE_MAX
    )
