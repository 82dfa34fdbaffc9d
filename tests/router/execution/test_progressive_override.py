"""Progressive @override end to end: real subgraphs on loopback, our router over HTTP, a
seeded roll per request. The overridden subgraph answers -1 for every moved field, so each
answer shows which subgraph the request's plan used."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from router.app import create_app
from router.config import RouterConfig
from router.supergraph import read_supergraph
from router.testing.servers import running, subgraphs_app
from router.testing.subgraph import SubgraphSpec
from tests.router.planner.federations import HERE, supergraph_file

POSTS = [{"id": "1"}, {"id": "2"}]
SOCIAL = {"likes": 7, "shares": 3, "views": 100}
STALE = {"likes": -1, "shares": -1, "views": -1}


def _specs() -> list[SubgraphSpec]:
    sdl = {name: (HERE / "labels" / f"{name}.graphql").read_text() for name in ("blog", "social")}
    return [
        SubgraphSpec(
            "blog",
            sdl["blog"],
            resolvers={"Query.posts": lambda _r, _i: [{**p, **STALE} for p in POSTS]},
            entities={"Post": lambda rep: {"id": rep["id"], **STALE}},
        ),
        SubgraphSpec("social", sdl["social"], entities={"Post": lambda rep: {**rep, **SOCIAL}}),
    ]


@pytest.fixture
def subgraphs() -> Iterator[tuple[str, list[SubgraphSpec]]]:
    specs = _specs()
    with running(subgraphs_app(specs)) as base:
        yield base, specs


def _ask(
    base: str, specs: list[SubgraphSpec], config: RouterConfig, roll: Any, query: str, times: int
) -> list[tuple[dict[str, Any], int]]:
    """`times` answers to `query`, each with the subgraph requests it made."""
    sdl = supergraph_file("labels").read_text().replace("http://subgraphs.invalid", base)
    app = create_app(config, supergraph=read_supergraph(sdl), roll=roll)
    out = []
    with running(app) as router, httpx.Client(timeout=30) as http:
        for _ in range(times):
            before = sum(len(s.received) for s in specs)
            body = http.post(f"{router}/graphql", json={"query": query}).json()
            out.append((body, sum(len(s.received) for s in specs) - before))
    return out


def test_each_request_rolls_its_percent_label_once_from_the_seeded_source(
    subgraphs: tuple[str, list[SubgraphSpec]],
) -> None:
    base, specs = subgraphs
    answers = _ask(
        base, specs, RouterConfig(), random.Random(11).random, "{ posts { likes shares } }", 24
    )
    # The same seed, rolled by hand: one roll per request for percent(50) (percent(100),
    # always in effect, takes none).
    hand = random.Random(11)
    moved = [100 * hand.random() < 50 for _ in range(24)]
    assert any(moved)
    assert not all(moved)
    for (body, requests), active in zip(answers, moved, strict=True):
        shares = SOCIAL["shares"] if active else STALE["shares"]
        assert body == {"data": {"posts": [{"likes": 7, "shares": shares}] * 2}}
        assert requests == 2  # likes always comes from social: one entity fetch either way


def test_an_unrolled_request_asks_only_the_overridden_subgraph(
    subgraphs: tuple[str, list[SubgraphSpec]],
) -> None:
    base, specs = subgraphs
    [(body, requests)] = _ask(base, specs, RouterConfig(), lambda: 0.75, "{ posts { shares } }", 1)
    assert body == {"data": {"posts": [{"shares": -1}, {"shares": -1}]}}
    assert requests == 1


def test_a_label_switched_on_by_configuration_moves_its_field_for_every_request(
    subgraphs: tuple[str, list[SubgraphSpec]],
) -> None:
    base, specs = subgraphs
    config = RouterConfig.from_env({"ROUTER_OVERRIDE_LABELS": "beta-views"})
    answers = _ask(base, specs, config, lambda: 0.99, "{ posts { views shares } }", 3)
    for body, _ in answers:
        assert body == {"data": {"posts": [{"views": 100, "shares": -1}] * 2}}
    default = _ask(base, specs, RouterConfig(), lambda: 0.99, "{ posts { views } }", 1)
    assert default[0][0] == {"data": {"posts": [{"views": -1}, {"views": -1}]}}
