"""Small federations, one per group of federation features, used by every router test suite.

Each scenario builds fresh subgraphs (SDL + Python resolvers over in-memory rows); its
supergraph, composed by `@theguild/federation-composition`, is committed beside it as
`<name>.graphql` with placeholder URLs (`http://subgraphs.invalid/<subgraph>`), and a test
checks it is fresh. Regenerate with `python -m tests.router.scenarios`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from router.supergraph import Supergraph, read_supergraph
from router.testing.servers import ServedSubgraph

__all__ = ["PLACEHOLDER", "Operation", "Scenario", "all_scenarios"]

HERE = Path(__file__).parent
PLACEHOLDER = "http://subgraphs.invalid"


@dataclass(frozen=True)
class Operation:
    query: str
    variables: dict[str, Any] | None = None
    operation_name: str | None = None


@dataclass(frozen=True)
class Scenario:
    name: str
    build: Callable[[], Sequence[ServedSubgraph]]
    operations: tuple[Operation, ...] = ()
    # Operations for the differential suite beyond those generated from the schema.
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # Where `<name>.graphql` is committed (the edge scenarios keep theirs in `edge/`).
    folder: Path = HERE

    @property
    def supergraph_file(self) -> Path:
        return self.folder / f"{self.name}.graphql"

    def supergraph_sdl(self, base_url: str = PLACEHOLDER) -> str:
        return self.supergraph_file.read_text().replace(PLACEHOLDER, base_url)

    def supergraph(self, base_url: str = PLACEHOLDER) -> Supergraph:
        return read_supergraph(self.supergraph_sdl(base_url))

    def subgraph_sdls(self) -> list[tuple[str, str, str]]:
        return [(s.name, f"{PLACEHOLDER}/{s.name}", s.sdl) for s in self.build()]  # type: ignore[attr-defined]


def all_scenarios() -> list[Scenario]:
    from tests.router.scenarios import abstract, interface_object, keys, override, shareable, shop

    return [
        shop.SCENARIO,
        keys.SCENARIO,
        shareable.SCENARIO,
        override.SCENARIO,
        abstract.SCENARIO,
        interface_object.SCENARIO,
    ]
