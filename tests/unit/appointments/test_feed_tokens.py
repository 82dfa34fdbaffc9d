"""Feed tokens: authentic ones name their owner and version; anything else names nobody."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from subgraphs.appointments.calendar_feed import tokens
from subgraphs.appointments.calendar_feed.keys import FeedConfig, feed_secret

SECRET = b"s" * 32


def test_a_minted_token_reads_back_as_its_owner_and_version() -> None:
    user = uuid.uuid4()
    token = tokens.mint(SECRET, user, 7)
    assert len(token) == 48
    assert "=" not in token
    assert tokens.read(SECRET, token) == tokens.FeedClaim(user, 7)
    assert str(user) not in token
    assert user.hex not in token.lower()


@pytest.mark.parametrize("position", [0, 21, 30, 47])
def test_a_changed_character_makes_the_token_name_nobody(position: int) -> None:
    token = tokens.mint(SECRET, uuid.uuid4(), 1)
    swapped = "A" if token[position] != "A" else "B"
    assert tokens.read(SECRET, token[:position] + swapped + token[position + 1 :]) is None


def test_another_secret_or_a_malformed_token_names_nobody() -> None:
    token = tokens.mint(SECRET, uuid.uuid4(), 1)
    assert tokens.read(b"t" * 32, token) is None
    for bad in ("", token[:-1], token + "A", "é" * 48, "!" * 48, "=" * 48):
        assert tokens.read(SECRET, bad) is None


def test_versions_outside_the_range_are_refused() -> None:
    for version in (0, 2**32):
        with pytest.raises(ValueError, match="feed versions"):
            tokens.mint(SECRET, uuid.uuid4(), version)


def test_the_secret_is_configured_derived_or_kept_in_the_data_directory(tmp_path: Path) -> None:
    assert feed_secret(configured="abc", signing_key="k", data_dir=tmp_path) == b"abc"
    derived = feed_secret(configured="", signing_key="k", data_dir=tmp_path)
    assert derived not in (b"k", b"")
    assert len(derived) == 32
    assert derived == feed_secret(configured="", signing_key="k", data_dir=tmp_path)
    kept = feed_secret(configured="", signing_key="", data_dir=tmp_path / "data")
    assert kept == feed_secret(configured="", signing_key="", data_dir=tmp_path / "data")
    assert (tmp_path / "data" / "calendar-feed.secret").stat().st_mode & 0o077 == 0


def test_the_feed_address_is_under_the_public_url() -> None:
    config = FeedConfig(secret=SECRET, public_url="https://clinic.example/")
    assert config.url("T") == "https://clinic.example/calendar/T.ics"
