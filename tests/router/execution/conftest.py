"""One loopback federation per test, from the shared scenarios."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.router.execution.federation import Federation, federation


@pytest.fixture
def shop() -> Iterator[Federation]:
    with federation("shop") as running:
        yield running


@pytest.fixture
def keys() -> Iterator[Federation]:
    with federation("keys") as running:
        yield running


@pytest.fixture
def shareable() -> Iterator[Federation]:
    with federation("shareable") as running:
        yield running


@pytest.fixture
def override() -> Iterator[Federation]:
    with federation("override") as running:
        yield running


@pytest.fixture
def abstract() -> Iterator[Federation]:
    with federation("abstract") as running:
        yield running


@pytest.fixture
def interface_object() -> Iterator[Federation]:
    with federation("interface_object") as running:
        yield running
