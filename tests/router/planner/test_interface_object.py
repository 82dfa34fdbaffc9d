"""@interfaceObject: fields added to every implementation by a subgraph that knows none."""

from __future__ import annotations

from tests.router.planner.plans import lines, text


def test_implementations_are_represented_as_the_interface_to_the_interface_object() -> None:
    assert text("interface_object", "{ media { title reviews } }") == lines(
        """
        query plan, 2 fetch(es):
          #0 media first, merged at the root:
              query { media { __typename ... on Book { title __typename id } ... on Movie { title __typename id } } }
          #1 reviews after #0, merged at media/@:
              represent Book as Media by { id }
              represent Movie as Media by { id }
              query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Media { reviews } } }
        """  # noqa: E501
    )


def test_interface_object_fields_alone_need_one_fetch() -> None:
    assert text("interface_object", "{ mostReviewed { id reviews } }") == lines(
        """
        query plan, 1 fetch(es):
          #0 reviews first, merged at the root:
              query { mostReviewed { id reviews } }
        """
    )


def test_concrete_types_of_interface_objects_come_from_the_interfaces_owner() -> None:
    query = "{ mostReviewed { __typename reviews ... on Book { author } } }"
    assert text("interface_object", query) == lines(
        """
        query plan, 2 fetch(es):
          #0 reviews first, merged at the root:
              query { mostReviewed { reviews __typename id } }
          #1 media after #0, merged at mostReviewed/@:
              represent Media by { id }
              query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Media { __typename ... on Book { author } } } }
        """  # noqa: E501
    )
