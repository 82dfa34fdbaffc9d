"""The client API's compatibility with what clients were last given.

`schema/released/api.graphql` is the client API (the supergraph's API schema: no federation
machinery, nothing `@inaccessible`) as last released; `make schema` never touches it. Every
change of the current API that graphql-core's `find_breaking_changes` calls breaking (a
field or type removed, a type narrowed for clients, an argument or input field made
required, ...) must be written in `schema/released/breaking-changes.txt` with why clients
are safe: one line per change, `<change> | <reason>`. A listed change that no longer
happens is an error too, so the list stays the truth. `healthbook schema release` writes the
current API as released and empties the list.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graphql import (
    GraphQLSchema,
    build_schema,
    find_breaking_changes,
    find_dangerous_changes,
    lexicographic_sort_schema,
    print_schema,
)

from healthbook.components import SCHEMA_DIR, SUPERGRAPH_PATH
from router.supergraph import read_supergraph

RELEASED_DIR = SCHEMA_DIR / "released"
RELEASED_API = RELEASED_DIR / "api.graphql"
ACKNOWLEDGED = RELEASED_DIR / "breaking-changes.txt"
HEADER = (
    "# Breaking changes of the client API since schema/released/api.graphql, each with why\n"
    "# clients are safe: `<change, as `healthbook schema compatibility` prints it> | <reason>`.\n"
)


@dataclass(frozen=True)
class Report:
    """What the current API changes for clients, against the released one."""

    unacknowledged: list[str]  # breaking, not listed: the check fails
    stale: list[str]  # listed, but no longer a change: the check fails
    acknowledged: list[str]  # breaking and listed with a reason
    dangerous: list[str]  # compatible, but may change what a client sees (told, not failed)

    @property
    def ok(self) -> bool:
        return not self.unacknowledged and not self.stale


def api_sdl(supergraph_sdl: str) -> str:
    """The client API of a supergraph, printed in a stable order."""
    return print_schema(lexicographic_sort_schema(read_supergraph(supergraph_sdl).api_schema))


def compare(released: GraphQLSchema, current: GraphQLSchema, listed: dict[str, str]) -> Report:
    breaking = [change.description for change in find_breaking_changes(released, current)]
    return Report(
        unacknowledged=[c for c in breaking if c not in listed],
        stale=[c for c in listed if c not in breaking],
        acknowledged=[c for c in breaking if c in listed],
        dangerous=[change.description for change in find_dangerous_changes(released, current)],
    )


def read_acknowledged(path: Path = ACKNOWLEDGED) -> dict[str, str]:
    """The listed changes and their reasons (a line without a reason does not count)."""
    listed: dict[str, str] = {}
    for line in path.read_text().splitlines() if path.exists() else []:
        if line.strip() and not line.startswith("#"):
            change, _, reason = line.partition(" | ")
            if reason.strip():
                listed[change.strip()] = reason.strip()
    return listed


def check(supergraph: Path = SUPERGRAPH_PATH) -> Report:
    """The current supergraph's API against the released one and the list."""
    released = build_schema(RELEASED_API.read_text())
    current = build_schema(api_sdl(supergraph.read_text()))
    return compare(released, current, read_acknowledged())


def release(supergraph: Path = SUPERGRAPH_PATH) -> Path:
    """Write the current API as released; the list of breaking changes starts empty again."""
    RELEASED_DIR.mkdir(exist_ok=True)
    RELEASED_API.write_text(api_sdl(supergraph.read_text()) + "\n")
    ACKNOWLEDGED.write_text(HEADER)
    return RELEASED_API
