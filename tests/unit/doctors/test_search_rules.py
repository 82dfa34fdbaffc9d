"""Search input: unknown specializations, inverted dates and oversized pages are refused."""

from __future__ import annotations

from datetime import date

import pytest

from subgraphs.doctors.domain.search import (
    LIST_NAME,
    Page,
    SearchFilter,
    SortKey,
    cache_key,
    check_filter,
    check_page,
    decode_cursor,
    encode_cursor,
    start_after,
)
from subgraphs.shared import connections
from subgraphs.shared.errors import BadUserInput

KNOWN = {"cardiology", "dermatology"}


def test_filter_is_normalized_case_insensitively() -> None:
    checked = check_filter(
        SearchFilter(specialization="Cardiology", city="  Berlin ", text="Sil"),
        specializations=KNOWN,
    )
    assert (checked.specialization, checked.city, checked.text) == ("cardiology", "berlin", "sil")


def test_unknown_specialization_is_bad_input() -> None:
    with pytest.raises(BadUserInput, match="Unknown specialization"):
        check_filter(SearchFilter(specialization="astrology"), specializations=KNOWN)


def test_inverted_dates_are_bad_input() -> None:
    with pytest.raises(BadUserInput, match="before availableFrom"):
        check_filter(
            SearchFilter(available_from=date(2027, 1, 5), available_to=date(2027, 1, 1)),
            specializations=KNOWN,
        )


def test_page_size_over_the_cap_is_bad_input() -> None:
    with pytest.raises(BadUserInput, match="page size"):
        check_page(first=500, after=None, offset=None, maximum=100)


def test_cursor_round_trips_and_garbage_is_refused() -> None:
    assert decode_cursor(encode_cursor(40)) == 40
    assert check_page(first=10, after=encode_cursor(20), offset=None, maximum=100) == Page(10, 20)
    with pytest.raises(BadUserInput, match="cursor"):
        decode_cursor("not-a-cursor")


def test_cache_key_changes_with_generation_and_query() -> None:
    one = cache_key(SearchFilter(city="berlin"), SortKey.NAME, Page(), generation=1)
    assert one != cache_key(SearchFilter(city="berlin"), SortKey.NAME, Page(), generation=2)
    assert one != cache_key(SearchFilter(city="paris"), SortKey.NAME, Page(), generation=1)


def test_the_old_page_argument_takes_old_and_connection_cursors() -> None:
    # An old cursor names the next offset; a connection cursor names the last item read.
    assert start_after(encode_cursor(20)) == 20
    assert start_after(connections.encode_cursor(LIST_NAME, 19)) == 20
    with pytest.raises(BadUserInput, match="cursor"):
        start_after(connections.encode_cursor("appointments.search", 19))
