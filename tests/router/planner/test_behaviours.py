"""Expected plans, one per planner behaviour of issue 11, on the federations of `federations/`."""

from __future__ import annotations

from pathlib import Path

import pytest

from router.testing.nodetools import compose
from tests.router.planner.behaviours import described, described_scenario
from tests.router.planner.federations import names, subgraph_sdls, supergraph_file
from tests.router.planner.plans import lines


@pytest.mark.node
@pytest.mark.parametrize("name", names())
def test_committed_federations_are_fresh(name: str, node_tooling: Path) -> None:
    assert supergraph_file(name).read_text() == compose(subgraph_sdls(name)), (
        "recompose with `python -m tests.router.planner.federations`"
    )


def test_one_response_key_with_two_subgraph_types_is_aliased_for_the_subgraph() -> None:
    # Post.id is `ID!` in posts, Note.id `ID`: one selection cannot ask both as `id`.
    assert described("conflicts", "{ things { ... on Post { id } ... on Note { id } } }") == lines(
        """
        query plan, 1 fetch(es):
          #0 posts first, merged at the root:
              query { things { __typename ... on Post { id } ... on Note { __hb_id_1: id } } }
        """
    )


def test_required_fields_with_other_arguments_than_the_clients_are_aliased() -> None:
    query = '{ posts { comments(limit: 3) summary prices price(currency: "EUR") } }'
    assert described("conflicts", query) == lines(
        """
        query plan, 2 fetch(es):
          #0 posts first, merged at the root:
              query { posts { comments(limit: 3) __typename pid __hb_comments_f846db3e: comments(limit: 1) __hb_price_0d3527b3: price(currency: "USD") price(currency: "EUR") } }
          #1 stats after #0, merged at posts/@:
              represent Post by { pid } + requires { __hb_comments_f846db3e: comments(limit: 1) __hb_price_0d3527b3: price(currency: "USD") }
              query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Post { summary prices } } }
        """  # noqa: E501
    )


def test_selections_are_written_against_the_subgraphs_own_field_type() -> None:
    # Shelf.featured is `Media` in the supergraph, `Book` in shelves: no `... on Song` there.
    query = "{ shelf { featured { ... on Book { title } ... on Song { name } } } }"
    assert described("field_types", query) == lines(
        """
        query plan, 1 fetch(es):
          #0 shelves first, merged at the root:
              query { shelf { featured { __typename title } } }
        """
    )


def test_an_interface_selection_reaching_a_subgraph_where_the_field_is_an_object() -> None:
    # Playlist.first is the interface Entry in the API, the object Track in tracks: the
    # fragments become Track's own fields there (no `... on Video`), and `__typename` is
    # asked so the answer can be typed as an Entry (Hive Gateway 2.15.1 omits it and fails).
    query = "{ favourite { first { name ... on Track { seconds } ... on Video { resolution } } } }"
    assert described_scenario("type_interface_vs_object", query) == lines(
        """
        query plan, 1 fetch(es):
          #0 tracks first, merged at the root:
              query { favourite { first { __typename name seconds } } }
        """
    )


def test_hidden_member_types_are_asked_with_their_typename_to_be_nulled() -> None:
    # Draft is @inaccessible: the subgraph may return one, so the fetch asks `__typename`
    # under each member (Draft included, it exists in docs) and the response turns a Draft
    # into null (execution/test_planner_behaviours.py, the differential hidden_object_type).
    assert described_scenario("hidden_object_type", "{ docs { id title } }") == lines(
        """
        query plan, 1 fetch(es):
          #0 docs first, merged at the root:
              query { docs { __typename ... on Book { id title } ... on Draft { id title } } }
        """
    )
    query = "{ results { ... on Book { title stars } } }"
    assert described_scenario("hidden_object_type", query) == lines(
        """
        query plan, 2 fetch(es):
          #0 docs first, merged at the root:
              query { results { __typename ... on Book { title __typename id } } }
          #1 ratings after #0, merged at results/@:
              represent Book by { id }
              query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Book { stars } } }
        """  # noqa: E501
    )


def test_keyless_shareable_value_types_are_completed_through_the_parent_entity() -> None:
    query = "{ products { dims { width height } category { name details } } }"
    assert described("split", query) == lines(
        """
        query plan, 2 fetch(es):
          #0 catalog first, merged at the root:
              query { products { dims { width } __typename id category { name } } }
          #1 sizes after #0, merged at products/@:
              represent Product by { id }
              query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Product { dims { height } category { details } } } }
        """  # noqa: E501
    )


def test_keys_gathered_from_several_subgraphs_are_reached_in_several_hops() -> None:
    # prices resolves Item by `sku upc`: upc comes from items, sku only from skus.
    assert described("multihop", "{ items { price } }") == lines(
        """
        query plan, 3 fetch(es):
          #0 items first, merged at the root:
              query { items { __typename id upc } }
          #1 skus after #0, merged at items/@:
              represent Item by { id }
              query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Item { __typename sku } } }
          #2 prices after #0, #1, merged at items/@:
              represent Item by { sku upc }
              query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Item { price } } }
        """  # noqa: E501
    )


def test_the_root_subgraph_is_chosen_counting_provides_under_a_union() -> None:
    assert described("roots", "{ feed { ... on Book { title } } }") == lines(
        """
        query plan, 1 fetch(es):
          #0 providing first, merged at the root:
              query { feed { __typename ... on Book { title } } }
        """
    )


def test_requires_with_a_fragment_sends_the_whole_required_selection() -> None:
    assert described("requires", "{ things { label } }") == lines(
        """
        query plan, 2 fetch(es):
          #0 things first, merged at the root:
              query { things { __typename id media { __typename ... on Foo { foo } } } }
          #1 labels after #0, merged at things/@:
              represent Thing by { id } + requires { media { __typename ... on Foo { foo } } }
              query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Thing { label } } }
        """  # noqa: E501
    )


def test_requires_with_a_fragment_per_union_member_sends_every_fragment() -> None:
    # The whole @requires field set reaches the representation, not only `__typename`
    # (Hive Gateway 2.15.1 fails before this fetch, see edge/requires.py).
    assert described_scenario("requires_fragment_union", "{ deliveries { eta } }") == lines(
        """
        query plan, 2 fetch(es):
          #0 routes first, merged at the root:
              query { deliveries { __typename id stop { __typename ... on Depot { code } ... on Address { street } } } }
          #1 eta after #0, merged at deliveries/@:
              represent Delivery by { id } + requires { stop { __typename ... on Depot { code } ... on Address { street } } }
              query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Delivery { eta } } }
        """  # noqa: E501
    )


def test_progressive_override_moves_a_field_only_once_its_label_is_in_effect() -> None:
    # likes: percent(100), always in effect; shares: percent(50) and views: a custom label,
    # not in this plan (no label rolled or switched on).
    assert described("labels", "{ posts { likes shares views } }") == lines(
        """
        query plan, 2 fetch(es):
          #0 blog first, merged at the root:
              query { posts { __typename id shares views } }
          #1 social after #0, merged at posts/@:
              represent Post by { id }
              query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Post { likes } } }
        """  # noqa: E501
    )


def test_a_rolled_percent_label_moves_its_field_in_that_plan_only() -> None:
    rolled = frozenset({"percent(50)"})
    assert described("labels", "{ posts { shares } }", rolled) == lines(
        """
        query plan, 2 fetch(es):
          #0 blog first, merged at the root:
              query { posts { __typename id } }
          #1 social after #0, merged at posts/@:
              represent Post by { id }
              query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Post { shares } } }
        """  # noqa: E501
    )
    assert described("labels", "{ posts { shares } }") == lines(
        """
        query plan, 1 fetch(es):
          #0 blog first, merged at the root:
              query { posts { shares } }
        """
    )


def test_a_label_switched_on_moves_its_field_beside_a_rolled_one() -> None:
    labels = frozenset({"percent(50)", "beta-views"})
    assert described("labels", "{ posts { likes shares views } }", labels) == lines(
        """
        query plan, 2 fetch(es):
          #0 blog first, merged at the root:
              query { posts { __typename id } }
          #1 social after #0, merged at posts/@:
              represent Post by { id }
              query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Post { likes shares views } } }
        """  # noqa: E501
    )


def test_concrete_type_fields_on_an_interface_object_come_from_the_interfaces_owner() -> None:
    assert described("accounts", "{ accounts { roles ... on Admin { name } } }") == lines(
        """
        query plan, 2 fetch(es):
          #0 perms first, merged at the root:
              query { accounts { roles __typename id } }
          #1 people after #0, merged at accounts/@:
              represent Account by { id }
              query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Account { __typename ... on Admin { name } } } }
        """  # noqa: E501
    )


def test_a_non_resolvable_interface_object_plans_the_owner_and_other_interface_objects() -> None:
    # audit only references Account: roles come from perms, the concrete type from people,
    # both straight from audit's answer.
    query = "{ lastLogin { id roles ... on Member { email } } }"
    assert described("accounts", query) == lines(
        """
        query plan, 3 fetch(es):
          #0 audit first, merged at the root:
              query { lastLogin { id __typename } }
          #1 perms after #0, merged at lastLogin:
              represent Account by { id }
              query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Account { roles } } }
          #2 people after #0, merged at lastLogin:
              represent Account by { id }
              query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Account { __typename ... on Member { email } } } }
        """  # noqa: E501
    )


def test_from_context_arguments_are_selected_on_the_ancestor_and_sent_as_variables() -> None:
    assert described("context", "{ users { id orders { greeting } } }") == lines(
        """
        query plan, 2 fetch(es):
          #0 users first, merged at the root:
              query { users { id orders { __typename id } locale } }
          #1 greetings after #0, merged at users/@/orders/@:
              represent Order by { id }
              $__hb_ctx_0 = locale of users/@
              query($representations: [_Any!]!, $__hb_ctx_0: String) { _entities(representations: $representations) { ... on Order { greeting(locale: $__hb_ctx_0) } } }
        """  # noqa: E501
    )


def test_a_context_set_on_several_types_reads_each_types_own_selection() -> None:
    # `$place ... on Shop { currency } ... on Market { money }`, under the interface Place.
    assert described("context_types", "{ places { items { price } } }") == lines(
        """
        query plan, 2 fetch(es):
          #0 shops first, merged at the root:
              query { places { __typename ... on Shop { items { __typename id } currency } ... on Market { items { __typename id } money } } }
          #1 prices after #0, merged at places/@/items/@:
              represent Item by { id }
              $__hb_ctx_0 = currency of places/@ on Shop | money of places/@ on Market
              query($representations: [_Any!]!, $__hb_ctx_0: String) { _entities(representations: $representations) { ... on Item { price(currency: $__hb_ctx_0) } } }
        """  # noqa: E501
    )


def test_a_type_conditioned_context_under_a_concrete_type_needs_no_typename_check() -> None:
    assert described("context_types", "{ shops { items { price } } }") == lines(
        """
        query plan, 2 fetch(es):
          #0 shops first, merged at the root:
              query { shops { items { __typename id } currency } }
          #1 prices after #0, merged at shops/@/items/@:
              represent Item by { id }
              $__hb_ctx_0 = currency of shops/@
              query($representations: [_Any!]!, $__hb_ctx_0: String) { _entities(representations: $representations) { ... on Item { price(currency: $__hb_ctx_0) } } }
        """  # noqa: E501
    )


def test_a_context_field_whose_name_the_client_uses_otherwise_is_aliased() -> None:
    query = "{ places { ... on Shop { currency: id } items { price } } }"
    assert described("context_types", query) == lines(
        """
        query plan, 2 fetch(es):
          #0 shops first, merged at the root:
              query { places { __typename ... on Shop { currency: id items { __typename id } __hb_currency: currency } ... on Market { items { __typename id } money } } }
          #1 prices after #0, merged at places/@/items/@:
              represent Item by { id }
              $__hb_ctx_0 = currency of places/@ on Shop | money of places/@ on Market
              query($representations: [_Any!]!, $__hb_ctx_0: String) { _entities(representations: $representations) { ... on Item { price(currency: $__hb_ctx_0) } } }
        """  # noqa: E501
    )


def test_the_nearest_ancestor_setting_the_context_wins_whatever_its_depth() -> None:
    # Market sets the context itself; a Stall does not, so its items read their Owner's.
    assert described("context_depths", "{ owners { places { items { price } } } }") == lines(
        """
        query plan, 2 fetch(es):
          #0 shops first, merged at the root:
              query { owners { places { __typename ... on Stall { items { __typename id } } ... on Market { items { __typename id } money } } currency } }
          #1 prices after #0, merged at owners/@/places/@/items/@:
              represent Item by { id }
              $__hb_ctx_0 = money of owners/@/places/@ on Market | currency of owners/@
              query($representations: [_Any!]!, $__hb_ctx_0: String) { _entities(representations: $representations) { ... on Item { price(currency: $__hb_ctx_0) } } }
        """  # noqa: E501
    )
