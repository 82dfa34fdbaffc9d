"""Small federations (SDL only) for planner tests of one behaviour each.

Each `<name>/` holds its subgraphs' SDL (`<subgraph>.graphql`); `supergraph.graphql` beside
them is composed by `@theguild/federation-composition` and committed. Recompose with
`python -m tests.router.planner.federations`; `test_federations_are_fresh` checks them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from router.supergraph import Supergraph, read_supergraph

HERE = Path(__file__).parent


def names() -> list[str]:
    return sorted(p.name for p in HERE.iterdir() if p.is_dir() and not p.name.startswith("_"))


def subgraph_sdls(name: str) -> list[tuple[str, str, str]]:
    return [
        (p.stem, f"http://subgraphs.invalid/{p.stem}", p.read_text())
        for p in sorted((HERE / name).glob("*.graphql"))
        if p.stem != "supergraph"
    ]


def supergraph_file(name: str) -> Path:
    return HERE / name / "supergraph.graphql"


@cache
def supergraph(name: str) -> Supergraph:
    return read_supergraph(supergraph_file(name).read_text())
