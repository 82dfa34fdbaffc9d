"""Recompose every scenario's supergraph: `python -m tests.router.scenarios`."""

from __future__ import annotations

from router.testing.nodetools import compose
from tests.router.scenarios import all_scenarios

for scenario in all_scenarios():
    scenario.supergraph_file.write_text(compose(scenario.subgraph_sdls()))
    print(f"wrote {scenario.supergraph_file}")
