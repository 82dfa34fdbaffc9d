"""The query graph of the scenario supergraphs: nodes, field/key/downcast edges, and search."""

from __future__ import annotations

from functools import cache

from router.query_graph import MAX_JUMPS, Node, PathSearch, QueryGraph, build_query_graph
from tests.router.scenarios import all_scenarios


@cache
def _graph(name: str) -> tuple[QueryGraph, PathSearch]:
    supergraph = next(s for s in all_scenarios() if s.name == name).supergraph()
    graph = build_query_graph(supergraph)
    return graph, PathSearch(graph, dict(supergraph.schema.type_map))


def test_nodes_are_types_in_the_subgraphs_that_define_them() -> None:
    graph, _ = _graph("keys")
    assert {n.graph for n in graph.nodes if n.type_name == "Item"} == {
        "CATALOG",
        "STOCK",
        "SHIPPING",
        "LABELS",
    }
    assert graph.node("Featured", "CATALOG") is None


def test_external_fields_are_not_edges_of_the_subgraph_referencing_them() -> None:
    graph, _ = _graph("keys")
    assert graph.field_edge("Item", "SHIPPING", "dimensions") is None
    assert graph.field_edge("Item", "CATALOG", "dimensions") is not None


def test_required_and_provided_fields_carry_their_conditions() -> None:
    graph, _ = _graph("shop")
    shipping = graph.field_edge("Product", "INVENTORY", "shippingEstimate")
    assert shipping is not None
    assert shipping.requires == "price weight"
    author = graph.field_edge("Review", "REVIEWS", "author")
    assert author is not None
    assert author.provides == "username"
    assert author.tail == Node("User", "REVIEWS")


def test_key_edges_lead_only_into_subgraphs_resolving_the_key() -> None:
    graph, _ = _graph("keys")
    targets = {(e.tail.graph, e.key) for e in graph.key_edges("Item", "CATALOG")}
    assert targets == {("SHIPPING", "sku"), ("STOCK", "id region { code }")}
    assert all(e.tail.graph != "LABELS" for e in graph.key_edges("Item", "STOCK"))


def test_implementations_reach_an_interface_object_as_the_interface() -> None:
    graph, _ = _graph("interface_object")
    (edge,) = [e for e in graph.key_edges("Book", "MEDIA") if e.tail.graph == "REVIEWS"]
    assert edge.tail == Node("Media", "REVIEWS")
    assert graph.is_interface_object("Media", "REVIEWS")
    assert graph.edge_for("Book", "REVIEWS", "reviews") is not None
    # The interface object cannot tell concrete types: its downcasts go through the owner.
    assert graph.possible_types("Media", "REVIEWS") == []
    assert set(graph.possible_types("Media", "MEDIA")) == {"Book", "Movie"}


def test_search_finds_the_shortest_route_through_a_subgraph_that_can_resolve_keys() -> None:
    _, search = _graph("keys")
    route = search.route("Item", ("LABELS",), "STOCK")
    assert route is not None
    assert [(j.edge.tail.graph, j.edge.key) for j in route] == [
        ("CATALOG", "sku"),
        ("STOCK", "id region { code }"),
    ]
    assert route[1].sources == (("id", "CATALOG"), ("region", "CATALOG"))
    direct = search.route("Item", ("CATALOG",), "STOCK")
    assert direct is not None
    assert len(direct) == 1


def test_search_never_routes_into_a_subgraph_with_only_a_non_resolvable_key() -> None:
    _, search = _graph("keys")
    assert "LABELS" not in search.routes("Item", ("CATALOG",))
    assert all(len(r) <= MAX_JUMPS for r in search.routes("Item", ("LABELS",)).values())


def test_describe_lists_every_node_with_its_edges() -> None:
    graph, _ = _graph("shop")
    text = graph.describe()
    assert "Product(INVENTORY)\n" in text
    assert "  .shippingEstimate: String @requires(price weight)" in text
    assert "  key { upc } -> Product(PRODUCTS)" in text
