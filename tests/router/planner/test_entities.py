"""Entity fetches: keys from the owning subgraph, batching per place, @provides, @requires."""

from __future__ import annotations

from router.selection import print_selections
from tests.router.planner.plans import lines, plan, text


def test_fields_of_other_subgraphs_are_fetched_through_entities_by_key() -> None:
    assert text("shop", "{ me { name reviews { body product { name price inStock } } } }") == lines(
        """
        query plan, 4 fetch(es):
          #0 accounts first, merged at the root:
              query { me { name __typename id } }
          #1 reviews after #0, merged at me:
              represent User by { id }
              query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { reviews { body product { __typename upc } } } } }
          #2 products after #1, merged at me/reviews/@/product:
              represent Product by { upc }
              query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { name price } } }
          #3 inventory after #1, merged at me/reviews/@/product:
              represent Product by { upc }
              query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { inStock } } }
        """  # noqa: E501
    )


def test_one_entity_fetch_per_subgraph_and_place_however_many_fields() -> None:
    fetches = plan("shop", "{ topProducts { inStock a: inStock name reviews { id } } }").fetches
    assert [(f.subgraph, f.path) for f in fetches] == [
        ("products", ()),
        ("inventory", ("topProducts", "@")),
        ("reviews", ("topProducts", "@")),
    ]


def test_provided_fields_are_read_from_the_providing_subgraph() -> None:
    fetches = plan("shop", "{ reviews { author { id username } } }").fetches
    assert [f.subgraph for f in fetches] == ["reviews"]
    assert fetches[0].operation == "query { reviews { author { id username } } }"


def test_fields_not_provided_still_need_the_owner() -> None:
    fetches = plan("shop", "{ reviews { author { username name } } }").fetches
    assert [(f.subgraph, "/".join(f.path)) for f in fetches] == [
        ("reviews", ""),
        ("accounts", "reviews/@/author"),
    ]


def test_required_fields_are_fetched_first_and_sent_in_the_representation() -> None:
    assert text("shop", '{ topProducts { shippingEstimate(currency: "EUR") } }') == lines(
        """
        query plan, 2 fetch(es):
          #0 products first, merged at the root:
              query { topProducts { __typename upc price weight } }
          #1 inventory after #0, merged at topProducts/@:
              represent Product by { upc } + requires { price weight }
              query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { shippingEstimate(currency: "EUR") } } }
        """  # noqa: E501
    )


def test_requires_waits_for_the_fetch_that_provides_the_required_fields() -> None:
    fetches = plan("shop", "{ reviews { product { shippingEstimate } } }").fetches
    by_subgraph = {f.subgraph: f for f in fetches}
    assert by_subgraph["inventory"].depends_on == (
        by_subgraph["reviews"].id,
        by_subgraph["products"].id,
    )
    assert "price weight" in by_subgraph["products"].operation


def test_nested_requires_selections_are_projected_into_the_representation() -> None:
    (_, shipping) = plan("keys", "{ items { shippingCost(express: true) } }").fetches
    (representation,) = shipping.representations
    assert print_selections(representation.requires) == "{ dimensions { weight unit } }"


def test_variables_used_by_a_fetch_are_declared_and_forwarded() -> None:
    (fetch,) = plan("shop", "query Q($id: ID!) { user(id: $id) { name } }", {"id": "1"}).fetches
    assert fetch.operation == "query($id: ID!) { user(id: $id) { name } }"
    assert fetch.variables == ("id",)
