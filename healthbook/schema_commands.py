"""`healthbook schema export|compose|check`, with composition errors in plain words."""

from __future__ import annotations

import sys

from healthbook import schema_tools
from healthbook.components import REPO_ROOT


def run(action: str) -> int:
    try:
        if action == "export":
            for path in schema_tools.export():
                print(f"wrote {path.relative_to(REPO_ROOT)}")
        elif action == "compose":
            path = schema_tools.compose()
            print(f"wrote {path.relative_to(REPO_ROOT)}")
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
