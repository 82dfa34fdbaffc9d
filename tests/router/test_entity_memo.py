"""Entity answers asked for once per request: later fetches of the plan reuse them."""

from __future__ import annotations

import asyncio
from typing import Any

from router.executor import FetchFailed, execute_plan
from router.plan import Fetch, QueryPlan, Representation
from router.selection import FieldSelection

Json = dict[str, Any]
SELECTION = "{ ... on Item { stock } }"
KEY = (FieldSelection("sku"),)


def _root(id_: int, subgraph: str, query: str, kind: str = "query") -> Fetch:
    return Fetch(id=id_, subgraph=subgraph, path=(), operation=f"{kind} {query}")


def _stock(id_: int, path: tuple[str, ...], after: int) -> Fetch:
    return Fetch(
        id=id_,
        subgraph="stock",
        path=path,
        operation="query($representations: [_Any!]!) { _entities(representations: "
        f"$representations) {SELECTION} }}",
        representations=(Representation("Item", "Item", KEY),),
        depends_on=(after,),
        entity_selection=SELECTION,
    )


def _item(sku: str) -> Json:
    return {"__typename": "Item", "sku": sku}


class Subgraphs:
    """Canned answers; records every request body by subgraph."""

    def __init__(self, roots: dict[str, Json], stock: dict[str, int]) -> None:
        self.roots = roots
        self.stock = stock
        self.bodies: list[tuple[str, Json]] = []
        self.hold_first_stock: asyncio.Event | None = None
        self.fail_stock = False

    async def __call__(self, fetch: Fetch, body: Json) -> Json:
        self.bodies.append((fetch.subgraph, body))
        if fetch.subgraph != "stock":
            return {"data": self.roots[fetch.subgraph]}
        if self.hold_first_stock is not None:
            event, self.hold_first_stock = self.hold_first_stock, None
            await event.wait()
        if self.fail_stock:
            raise FetchFailed("stock", "connection refused")
        entities: list[Json | None] = []
        errors: list[Json] = []
        for index, rep in enumerate(body["variables"]["representations"]):
            if rep["sku"] in self.stock:
                entities.append({"stock": self.stock[rep["sku"]]})
            else:
                entities.append(None)
                errors.append({"message": "unknown item", "path": ["_entities", index]})
        return {"data": {"_entities": entities}, "errors": errors}

    def stock_requests(self) -> list[list[str]]:
        return [
            [r["sku"] for r in b["variables"]["representations"]]
            for s, b in self.bodies
            if s == "stock"
        ]


def _two_places(kind: str = "query") -> QueryPlan:
    """`items { stock }` (catalog) and `featured { item { stock } }` (labels): two stock
    fetches with one selection at two depths of the plan."""
    labels = _root(1, "labels", "{ featured { item { __typename sku } } }", kind)
    nested = Fetch(
        id=2,
        subgraph="labels",
        path=(),
        operation="query { more }",
        depends_on=(1,),
    )
    return QueryPlan(
        kind=kind,
        fetches=(
            _root(0, "catalog", "{ items { __typename sku } }", kind),
            labels,
            nested,
            _stock(3, ("items", "@"), after=0),
            _stock(4, ("featured", "@", "item"), after=2),
        ),
    )


def _subgraphs(items: list[str], featured: list[str], stock: dict[str, int]) -> Subgraphs:
    return Subgraphs(
        {
            "catalog": {"items": [_item(s) for s in items]},
            "labels": {"featured": [{"item": _item(s)} for s in featured]},
        },
        stock,
    )


async def test_objects_already_asked_for_are_not_asked_again() -> None:
    subgraphs = _subgraphs(["A", "B", "C"], ["A", "B"], {"A": 5, "B": 0, "C": 12})
    data, errors = await execute_plan(_two_places(), {}, subgraphs)
    assert subgraphs.stock_requests() == [["A", "B", "C"]]
    assert [i["stock"] for i in data["items"]] == [5, 0, 12]
    assert [f["item"]["stock"] for f in data["featured"]] == [5, 0]
    assert errors == []


async def test_only_the_objects_not_asked_for_yet_are_sent() -> None:
    subgraphs = _subgraphs(["A", "B"], ["B", "C"], {"A": 5, "B": 0, "C": 12})
    data, _ = await execute_plan(_two_places(), {}, subgraphs)
    assert subgraphs.stock_requests() == [["A", "B"], ["C"]]
    assert [f["item"]["stock"] for f in data["featured"]] == [0, 12]


async def test_a_reused_entity_is_a_copy_per_place() -> None:
    subgraphs = _subgraphs(["A"], ["A"], {"A": 5})
    data, _ = await execute_plan(_two_places(), {}, subgraphs)
    data["items"][0]["stock"] = 99
    assert data["featured"][0]["item"]["stock"] == 5


async def test_errors_of_a_reused_entity_are_reported_at_the_reusing_place_too() -> None:
    subgraphs = _subgraphs(["X"], ["X"], {})
    _, errors = await execute_plan(_two_places(), {}, subgraphs)
    assert subgraphs.stock_requests() == [["X"]]
    assert sorted(e["path"] for e in errors) == [["featured", 0, "item"], ["items", 0]]


async def test_a_failed_request_fails_the_places_reusing_it() -> None:
    subgraphs = _subgraphs(["A"], ["A"], {"A": 5})
    subgraphs.fail_stock = True
    _, errors = await execute_plan(_two_places(), {}, subgraphs)
    assert subgraphs.stock_requests() == [["A"]]
    assert sorted(e["path"] for e in errors) == [["featured", 0, "item"], ["items", 0]]
    assert {e["extensions"]["code"] for e in errors} == {"SUBREQUEST_HTTP_ERROR"}


async def test_a_fetch_waits_for_an_identical_request_in_flight_instead_of_asking_twice() -> None:
    subgraphs = _subgraphs(["A", "B"], ["A", "B"], {"A": 5, "B": 0})
    subgraphs.hold_first_stock = held = asyncio.Event()
    running = asyncio.ensure_future(execute_plan(_two_places(), {}, subgraphs))
    for _ in range(50):  # until the second stock fetch has claimed (it finds both in flight)
        await asyncio.sleep(0)
    assert subgraphs.stock_requests() == [["A", "B"]]
    held.set()
    data, _ = await running
    assert subgraphs.stock_requests() == [["A", "B"]]
    assert [f["item"]["stock"] for f in data["featured"]] == [5, 0]


async def test_mutation_plans_ask_again_for_entities_that_may_have_changed() -> None:
    subgraphs = _subgraphs(["A"], ["A"], {"A": 5})
    await execute_plan(_two_places("mutation"), {}, subgraphs)
    assert subgraphs.stock_requests() == [["A"], ["A"]]
