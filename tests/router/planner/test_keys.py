"""Keys: compound and nested keys, several keys per type, non-resolvable references."""

from __future__ import annotations

from router.selection import print_selections
from tests.router.planner.plans import plan


def test_the_key_the_target_subgraph_declares_is_used() -> None:
    (_, stock) = plan("keys", "{ items { stock } }").fetches
    (representation,) = stock.representations
    assert print_selections(representation.key) == "{ id region { code } }"


def test_a_non_resolvable_reference_reaches_other_subgraphs_through_one_that_can() -> None:
    fetches = plan("keys", "{ featured { item { stock } } }").fetches
    assert [(f.subgraph, f.depends_on) for f in fetches] == [
        ("labels", ()),
        ("catalog", (0,)),
        ("stock", (1,)),
    ]
    assert print_selections(fetches[1].representations[0].key) == "{ sku }"
    assert print_selections(fetches[2].representations[0].key) == "{ id region { code } }"


def test_a_subgraph_with_a_non_resolvable_key_is_never_asked_for_entities() -> None:
    fetches = plan("keys", "{ items { sku title stock shippingCost } }").fetches
    assert "labels" not in {f.subgraph for f in fetches if f.is_entity_fetch}
