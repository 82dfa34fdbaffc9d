"""The schema pipeline: export each subgraph's SDL from code, compose the supergraph with
`@theguild/federation-composition` (Node, pinned in schema/package-lock.json)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from healthbook.components import SCHEMA_DIR, SUPERGRAPH_PATH, load_spec, present_subgraphs
from subgraphs.shared.metrics import GraphQLMetrics
from subgraphs.shared.settings import DEFAULT_PORTS

SUBGRAPH_SDL_DIR = SCHEMA_DIR / "subgraphs"
COMPOSE_SCRIPT = SCHEMA_DIR / "compose.mjs"


class CompositionError(RuntimeError):
    """The subgraphs do not compose; the message lists the composition errors in plain words."""


def subgraph_sdl(name: str) -> str:
    """The SDL subgraph `name` exports (what `_service { sdl }` returns)."""
    schema = load_spec(name).schema(GraphQLMetrics(name))
    return schema.as_str().rstrip("\n") + "\n"


def export(directory: Path = SUBGRAPH_SDL_DIR) -> list[Path]:
    """Write `schema/subgraphs/<name>.graphql` for every subgraph."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in present_subgraphs():
        path = directory / f"{name}.graphql"
        path.write_text(subgraph_sdl(name))
        written.append(path)
    return written


def default_url(name: str, port: int) -> str:
    return f"http://127.0.0.1:{port}/graphql"


def compose_sdl(subgraphs: dict[str, tuple[str, str]]) -> str:
    """Compose {name: (url, sdl)} into a supergraph SDL, or raise CompositionError."""
    node = shutil.which("node")
    if node is None:
        raise CompositionError("Node.js is needed to compose the supergraph (`node` not found).")
    if not (SCHEMA_DIR / "node_modules" / "@theguild" / "federation-composition").exists():
        raise CompositionError("Run `make node` first: schema/node_modules is missing.")
    request = json.dumps(
        [{"name": name, "url": url, "sdl": sdl} for name, (url, sdl) in subgraphs.items()]
    )
    completed = subprocess.run(  # noqa: S603 - fixed script, arguments are ours
        [node, str(COMPOSE_SCRIPT)],
        input=request,
        capture_output=True,
        text=True,
        cwd=SCHEMA_DIR,
        timeout=120,
        check=False,
    )
    if completed.returncode != 0:
        raise CompositionError(completed.stderr.strip() or "composition failed")
    return completed.stdout


def compose(output: Path = SUPERGRAPH_PATH, directory: Path = SUBGRAPH_SDL_DIR) -> Path:
    """Compose `schema/supergraph.graphql` from the exported subgraph SDL files."""

    subgraphs = {}
    for name in present_subgraphs():
        path = directory / f"{name}.graphql"
        if not path.exists():
            raise CompositionError(f"{path} is missing: run `healthbook schema export` first.")
        subgraphs[name] = (default_url(name, DEFAULT_PORTS[name]), path.read_text())
    output.write_text(compose_sdl(subgraphs))
    return output


def stale_files() -> list[str]:
    """The committed schema files that differ from what the code produces now."""
    stale = []
    sdls: dict[str, tuple[str, str]] = {}

    for name in present_subgraphs():
        sdl = subgraph_sdl(name)
        path = SUBGRAPH_SDL_DIR / f"{name}.graphql"
        if not path.exists() or path.read_text() != sdl:
            stale.append(str(path.relative_to(SCHEMA_DIR.parent)))
        sdls[name] = (default_url(name, DEFAULT_PORTS[name]), sdl)
    if not SUPERGRAPH_PATH.exists() or SUPERGRAPH_PATH.read_text() != compose_sdl(sdls):
        stale.append(str(SUPERGRAPH_PATH.relative_to(SCHEMA_DIR.parent)))
    return stale
