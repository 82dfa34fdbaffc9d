"""`healthbook schema export|compose|check|compatibility|release`, with composition errors
in plain words."""

from __future__ import annotations

import sys

from healthbook import api_compatibility, schema_tools
from healthbook.components import REPO_ROOT


def run(action: str) -> int:
    try:
        if action == "export":
            for path in schema_tools.export():
                print(f"wrote {path.relative_to(REPO_ROOT)}")
        elif action == "compose":
            path = schema_tools.compose()
            print(f"wrote {path.relative_to(REPO_ROOT)}")
        elif action == "compatibility":
            return _compatibility()
        elif action == "release":
            path = api_compatibility.release()
            print(f"wrote {path.relative_to(REPO_ROOT)}; the list of breaking changes is empty")
        else:
            stale = schema_tools.stale_files()
            for name in stale:
                print(f"stale: {name}; run `make schema`", file=sys.stderr)
            return 1 if stale else 0
    except schema_tools.CompositionError as error:
        print("The subgraphs do not compose into a supergraph:", file=sys.stderr)
        print(str(error), file=sys.stderr)
        return 1
    return 0


def _compatibility() -> int:
    """Print what the current API changes for clients; 1 if a breaking change is unlisted."""
    report = api_compatibility.check()
    for change in report.unacknowledged:
        print(f"breaking, not listed: {change}", file=sys.stderr)
    for change in report.stale:
        print(f"listed, no longer a change: {change}", file=sys.stderr)
    for change in report.acknowledged:
        print(f"breaking, listed: {change}")
    for change in report.dangerous:
        print(f"compatible, worth telling clients: {change}")
    if not report.ok:
        listed = api_compatibility.ACKNOWLEDGED.relative_to(REPO_ROOT)
        print(
            f"Change the API compatibly (add, then @deprecated), or list each breaking change"
            f" in {listed} with why clients are safe.",
            file=sys.stderr,
        )
    return 0 if report.ok else 1
