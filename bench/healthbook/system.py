"""The Healthbook subgraphs for the benchmarks: migrated, seeded, one `healthbook serve`
process each, unsigned (so that Hive Gateway can call them too), on free loopback ports."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from bench.gateways.processes import Process, started
from healthbook.components import present_subgraphs
from router.testing.servers import free_port
from subgraphs.shared.settings import DEFAULT_PORTS

__all__ = ["System", "running_system"]

REPO = Path(__file__).resolve().parents[2]
SUPERGRAPH = REPO / "schema" / "supergraph.graphql"


@dataclass(frozen=True)
class System:
    env: dict[str, str]
    ports: dict[str, int]
    processes: dict[str, Process]
    supergraph: Path

    def url(self, component: str) -> str:
        return f"http://127.0.0.1:{self.ports[component]}/graphql"


@contextlib.contextmanager
def running_system(
    *,
    signing_key: str = "",
    database_urls: Mapping[str, str] | None = None,
    profiles: Path | None = None,
) -> Iterator[System]:
    """Every present subgraph of this checkout, demo data loaded; unsigned unless given a
    `signing_key` (then the subgraphs require the router's signature, and
    `bench.healthbook.serve` signs with it). Each store is SQLite in a temporary directory
    unless `database_urls` names another (component → URL, e.g. an empty PostgreSQL
    database: it is migrated and seeded like the others). With `profiles`, each subgraph
    runs under `bench.profiled`, writing `<profiles>/<name>.prof` when told (SIGUSR2)."""
    with tempfile.TemporaryDirectory(prefix="healthbook-bench-") as tmp:
        ports = {name: free_port() for name in DEFAULT_PORTS}
        env = {
            **os.environ,
            **{f"{name.upper()}_PORT": str(port) for name, port in ports.items()},
            "HEALTHBOOK_DATA_DIR": str(Path(tmp) / "data"),
            "HEALTHBOOK_SIGNING_KEY": signing_key,
            "LOG_LEVEL": "WARNING",
            "DOCTORS_URL": f"http://127.0.0.1:{ports['doctors']}/graphql",
            **{f"{name.upper()}_DATABASE_URL": url for name, url in (database_urls or {}).items()},
        }
        healthbook = [sys.executable, "-m", "healthbook"]
        subprocess.run([*healthbook, "seed"], env=env, check=True, cwd=REPO)  # noqa: S603
        supergraph = Path(tmp) / "supergraph.graphql"
        sdl = SUPERGRAPH.read_text()
        for name, default in DEFAULT_PORTS.items():
            sdl = sdl.replace(f"127.0.0.1:{default}/", f"127.0.0.1:{ports[name]}/")
        supergraph.write_text(sdl)
        with contextlib.ExitStack() as stack:
            processes = {
                name: stack.enter_context(
                    started(
                        [*_runner(profiles, name), "serve", name],
                        f"http://127.0.0.1:{ports[name]}/health/ready",
                        env=env,
                    )
                )
                for name in present_subgraphs()
            }
            yield System(env, ports, processes, supergraph)


def _runner(profiles: Path | None, name: str) -> list[str]:
    if profiles is None:
        return [sys.executable, "-m", "healthbook"]
    return [sys.executable, "-m", "bench.profiled", str(profiles / f"{name}.prof")]
