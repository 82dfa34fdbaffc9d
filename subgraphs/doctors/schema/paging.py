"""The paging arguments of the doctor search: `first`/`after` or the deprecated `page`."""

from __future__ import annotations

import strawberry

from subgraphs.doctors.domain import search as rules
from subgraphs.doctors.schema.inputs import PageInput
from subgraphs.shared.connections import USE_CURSORS, refuse_mixed, window

FirstArg = strawberry.argument(
    description="How many doctors (1 to 100 unless configured otherwise; 20 if not given)."
)
PageArg = strawberry.argument(deprecation_reason=USE_CURSORS)


def read_page(
    *, page: PageInput | None, first: int | None, after: str | None, maximum: int
) -> rules.Page:
    """The part of the search asked for; BAD_USER_INPUT for a bad cursor or mixed arguments."""
    refuse_mixed(legacy_given=page is not None, first=first, after=after)
    if page is not None:
        return rules.check_page(
            first=page.first, after=page.after, offset=page.offset, maximum=maximum
        )
    asked = window(
        list_name=rules.LIST_NAME,
        first=first,
        after=after,
        default_size=rules.DEFAULT_PAGE_SIZE,
        maximum=maximum,
    )
    return rules.Page(size=asked.limit, offset=asked.offset)
