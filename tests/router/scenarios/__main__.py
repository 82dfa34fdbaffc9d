"""Recompose every scenario's supergraph: `python -m tests.router.scenarios`.

`--summary` prints what the edge scenarios cover and what is marked xfail today.
"""

from __future__ import annotations

import sys

from router.testing.nodetools import compose_many
from tests.router.scenarios import all_scenarios
from tests.router.scenarios.edge import edge_scenarios, summary

if "--summary" in sys.argv:
    print(summary())
    raise SystemExit(0)
scenarios = [*all_scenarios(), *edge_scenarios()]
for scenario, sdl in zip(
    scenarios, compose_many([s.subgraph_sdls() for s in scenarios]), strict=True
):
    scenario.supergraph_file.write_text(sdl)
    print(f"wrote {scenario.supergraph_file}")
