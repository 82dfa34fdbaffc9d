"""The committed subgraph SDL files and supergraph are what the code produces now."""

from __future__ import annotations

import pytest

from healthbook import schema_tools
from healthbook.components import SUPERGRAPH_PATH, present_subgraphs
from tests.support.node import require_node_package

pytestmark = pytest.mark.node


@pytest.fixture(autouse=True)
def composition_tool() -> None:
    require_node_package("@theguild/federation-composition")


def test_committed_schema_files_are_fresh() -> None:
    assert schema_tools.stale_files() == [], "run `make schema` and commit the result"


def test_every_subgraph_is_in_the_supergraph() -> None:
    supergraph = SUPERGRAPH_PATH.read_text()
    for name in present_subgraphs():
        assert f'@join__graph(name: "{name}"' in supergraph


def test_composition_errors_are_reported_in_plain_words() -> None:
    one = "type Query { ping: String }"
    two = "type Query { ping: Int }"
    with pytest.raises(schema_tools.CompositionError) as raised:
        schema_tools.compose_sdl(
            {
                "a": ("http://127.0.0.1:1/graphql", one),
                "b": ("http://127.0.0.1:2/graphql", two),
            }
        )
    assert "Query.ping" in str(raised.value)
