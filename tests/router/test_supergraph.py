"""The supergraph reader: graphs, URLs, join metadata, supported versions."""

from __future__ import annotations

import pytest

from router.links import LinkError
from router.supergraph import FieldJoin, TypeJoin, read_supergraph
from tests.router.scenarios import PLACEHOLDER, all_scenarios

SCENARIOS = {s.name: s for s in all_scenarios()}


def test_graphs_are_read_with_their_names_and_urls() -> None:
    supergraph = SCENARIOS["shop"].supergraph()
    assert {g.name: g.url for g in supergraph.graphs.values()} == {
        "accounts": f"{PLACEHOLDER}/accounts",
        "inventory": f"{PLACEHOLDER}/inventory",
        "products": f"{PLACEHOLDER}/products",
        "reviews": f"{PLACEHOLDER}/reviews",
    }


def test_subgraph_urls_can_be_overridden_by_name() -> None:
    sdl = SCENARIOS["shop"].supergraph_sdl()
    supergraph = read_supergraph(sdl, {"REVIEWS": "http://10.0.0.7:9000/graphql"})
    assert supergraph.graph_by_name("reviews").url == "http://10.0.0.7:9000/graphql"
    assert supergraph.graph_by_name("accounts").url == f"{PLACEHOLDER}/accounts"


def test_keys_including_non_resolvable_and_compound_ones_are_read() -> None:
    joins = SCENARIOS["keys"].supergraph().type_joins["Item"]
    assert TypeJoin(graph="CATALOG", key="sku") in joins
    assert TypeJoin(graph="CATALOG", key="id region { code }") in joins
    assert TypeJoin(graph="LABELS", key="sku", resolvable=False) in joins


def test_field_joins_carry_requires_provides_external_and_override() -> None:
    shop = SCENARIOS["shop"].supergraph().field_joins
    assert (
        FieldJoin(graph="INVENTORY", requires="price weight")
        in shop[("Product", "shippingEstimate")]
    )
    assert FieldJoin(graph="INVENTORY", external=True) in shop[("Product", "price")]
    assert FieldJoin(graph="REVIEWS", provides="username") in shop[("Review", "author")]
    override = SCENARIOS["override"].supergraph().field_joins
    assert override[("Post", "likes")] == (FieldJoin(graph="SOCIAL", override="blog"),)


def test_interface_implementations_and_union_members_are_read_per_graph() -> None:
    supergraph = SCENARIOS["abstract"].supergraph()
    assert supergraph.implements["Book"] == {"MEDIA": frozenset({"Media"})}
    assert supergraph.union_members["SearchResult"]["PEOPLE"] == frozenset({"Person", "Book"})


@pytest.mark.parametrize("version", ["v0.3", "v0.4", "v0.5"])
def test_join_versions_from_0_3_to_0_5_are_accepted(version: str) -> None:
    sdl = SCENARIOS["shop"].supergraph_sdl().replace("join/v0.5", f"join/{version}")
    assert read_supergraph(sdl).graphs


def test_an_unsupported_join_version_is_refused_by_name() -> None:
    sdl = SCENARIOS["shop"].supergraph_sdl().replace("join/v0.5", "join/v0.2")
    with pytest.raises(LinkError, match=r"join v0\.2 is not supported"):
        read_supergraph(sdl)


def test_a_schema_without_link_is_not_a_supergraph() -> None:
    with pytest.raises(LinkError, match="link"):
        read_supergraph("type Query { a: Int }")


def test_the_gateways_benchmark_supergraph_in_join_0_3_is_read() -> None:
    from bench.gateways.subgraphs import WORKLOAD

    supergraph = read_supergraph((WORKLOAD / "supergraph.graphql").read_text())
    assert sorted(g.name for g in supergraph.graphs.values()) == [
        "accounts",
        "inventory",
        "products",
        "reviews",
    ]
