"""Progressive @override labels: parsing, and the per-request roll from a seeded source."""

from __future__ import annotations

import random

import pytest

from router.override_labels import OverrideLabels, parse_labels, percent_of
from tests.router.planner.federations import supergraph


def test_percent_labels_are_read_with_their_share() -> None:
    assert percent_of("percent(50)") == 50
    assert percent_of("percent(12.5)") == 12.5
    assert percent_of("percent(0)") == 0
    assert percent_of("percent(101)") is None
    assert percent_of("beta-views") is None


def test_malformed_labels_are_refused() -> None:
    assert parse_labels("a, b.c:d/e_f-g") == {"a", "b.c:d/e_f-g"}
    for bad in ("1abc", "percent(200)", "percent(x)", "a b"):
        with pytest.raises(ValueError, match="not an override label"):
            parse_labels(bad)


def test_the_supergraphs_labels_are_known_and_only_those_can_be_switched_on() -> None:
    labels = OverrideLabels.of(supergraph("labels"), ["beta-views", "not-in-the-supergraph"])
    assert labels.percents == {"percent(100)": 100, "percent(50)": 50}
    assert labels.enabled == {"beta-views"}
    assert not OverrideLabels.of(supergraph("context")).used


def test_a_percent_label_is_active_when_the_roll_is_under_its_share() -> None:
    labels = OverrideLabels(percents={"percent(50)": 50})
    rolls = iter([0.49, 0.5, 0.0, 0.99])
    active = [labels.roll(lambda: next(rolls)) for _ in range(4)]
    assert active == [{"percent(50)"}, set(), {"percent(50)"}, set()]


def test_percent_100_and_0_take_no_roll_and_each_other_label_one_in_label_order() -> None:
    labels = OverrideLabels(
        percents={"percent(100)": 100, "percent(0)": 0, "percent(30)": 30, "percent(70)": 70}
    )
    rolls = iter([0.5, 0.5])  # percent(30) first, then percent(70); a third roll would fail
    assert labels.roll(lambda: next(rolls)) == {"percent(100)", "percent(70)"}


def test_an_enabled_label_is_active_without_a_roll() -> None:
    labels = OverrideLabels(percents={"percent(10)": 10}, enabled=frozenset({"percent(10)", "b"}))
    assert labels.roll(lambda: pytest.fail("rolled")) == {"percent(10)", "b"}


def test_a_seeded_source_gives_the_same_labels_and_about_the_share() -> None:
    labels = OverrideLabels(percents={"percent(25)": 25})
    one, other = random.Random(7), random.Random(7)
    first = [labels.roll(one.random) for _ in range(50)]
    assert first == [labels.roll(other.random) for _ in range(50)]
    assert set() in first
    assert {"percent(25)"} in first
    source = random.Random(2026)
    active = sum(1 for _ in range(2000) if labels.roll(source.random))
    assert 400 <= active <= 600  # 25% of 2000, seeded: the same count every run
