"""Connection cursors: opaque, bound to their list, refused when edited."""

from __future__ import annotations

import pytest

from subgraphs.shared.connections import decode_cursor, encode_cursor, page_facts, window
from subgraphs.shared.errors import BadUserInput


def test_a_cursor_round_trips_within_its_list_only() -> None:
    cursor = encode_cursor("users", 41)
    assert decode_cursor("users", cursor) == 41
    assert "41" not in cursor
    with pytest.raises(BadUserInput):
        decode_cursor("audit", cursor)


@pytest.mark.parametrize("cursor", ["", "x", "dXNlcnM6NDE", "dXNlcnM6LTE6YWJj", "!!!!"])
def test_a_cursor_not_given_out_is_bad_user_input(cursor: str) -> None:
    with pytest.raises(BadUserInput) as raised:
        decode_cursor("users", cursor)
    assert raised.value.code == "BAD_USER_INPUT"


def test_the_window_continues_after_the_cursor_and_caps_first() -> None:
    after = encode_cursor("users", 9)
    assert window(list_name="users", first=5, after=after, default_size=20, maximum=50).offset == 10
    with pytest.raises(BadUserInput):
        window(list_name="users", first=51, after=None, default_size=20, maximum=50)


def test_page_facts_of_the_middle_and_an_empty_page() -> None:
    middle = page_facts(list_name="users", offset=2, count=2, total=5)
    assert (middle.has_previous_page, middle.has_next_page) == (True, True)
    assert middle.end_cursor is not None
    assert decode_cursor("users", middle.end_cursor) == 3
    empty = page_facts(list_name="users", offset=5, count=0, total=5)
    assert (empty.start_cursor, empty.end_cursor, empty.has_next_page) == (None, None, False)
