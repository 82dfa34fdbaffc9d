"""The components of Healthbook and how to find each one's code."""

from __future__ import annotations

import importlib
from pathlib import Path

from subgraphs.shared.app import SubgraphSpec
from subgraphs.shared.settings import COMPONENTS

REPO_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = REPO_ROOT / "schema"
SUPERGRAPH_PATH = SCHEMA_DIR / "supergraph.graphql"


def present_subgraphs() -> tuple[str, ...]:
    """The subgraphs whose code is in this checkout, in their fixed order."""
    return tuple(
        name for name in COMPONENTS if (REPO_ROOT / "subgraphs" / name / "app.py").exists()
    )


def load_spec(name: str) -> SubgraphSpec:
    """The `SPEC` of subgraph `name` (its `app` module)."""
    if name not in COMPONENTS:
        raise ValueError(f"unknown subgraph {name!r}; expected one of {', '.join(COMPONENTS)}")
    module = importlib.import_module(f"subgraphs.{name}.app")
    spec = module.SPEC
    if not isinstance(spec, SubgraphSpec):
        raise TypeError(f"subgraphs.{name}.app.SPEC is not a SubgraphSpec")
    return spec
