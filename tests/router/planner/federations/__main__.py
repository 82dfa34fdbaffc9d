"""Recompose the planner test federations: `python -m tests.router.planner.federations`."""

from __future__ import annotations

from router.testing.nodetools import compose
from tests.router.planner.federations import names, subgraph_sdls, supergraph_file

for name in names():
    supergraph_file(name).write_text(compose(subgraph_sdls(name)))
    print(f"wrote {supergraph_file(name)}")
