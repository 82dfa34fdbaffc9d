"""Fetch counts of the query-graph planner against the greedy planner it replaced.

`python -m bench.planner.compare [--examples N]`: the greedy planner (router/planner.py and
router/ownership.py at commit 0161a4b, read with `git show` into a temporary directory) and
the current one plan the same hypothesis-graphql queries on every scenario, planner test
federation and Healthbook's supergraph; prints, per federation, how often the new plan has
fewer or more fetches and how often only one of them could plan at all.
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from graphql import print_schema
from hypothesis import HealthCheck, given, settings
from hypothesis_graphql import queries

from router.document import prepare_operation

ROOT = Path(__file__).resolve().parents[2]
GREEDY = "0161a4b"


def _show(path: str) -> str:
    command = ["git", "show", f"{GREEDY}:{path}"]  # a fixed commit of this repository
    return subprocess.run(command, cwd=ROOT, check=True, capture_output=True).stdout.decode()  # noqa: S603


def _old_planner(directory: Path) -> Any:
    ownership = _show("router/ownership.py")
    planner = _show("router/planner.py")
    (directory / "greedy_ownership.py").write_text(ownership)
    (directory / "greedy_planner.py").write_text(
        planner.replace("from router.ownership import", "from greedy_ownership import")
    )
    sys.path.insert(0, str(directory))
    return importlib.import_module("greedy_planner").Planner


def _tally(old: Any, new: Any, strategy: Any, examples: int) -> Counter[str]:
    tally: Counter[str] = Counter()

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(query=strategy)
    def compare(query: str) -> None:
        prepared = prepare_operation(new.supergraph.api_schema, query, None)
        sizes = []
        for planner in (old, new):
            try:
                sizes.append(len(planner.plan(prepared.operation, prepared.fragments, {}).fetches))
            except Exception:
                sizes.append(-1)
        before, after = sizes
        tally["queries"] += 1
        if before < 0 <= after:
            tally["only new plans"] += 1
        elif after < 0 <= before:
            tally["only old plans"] += 1
        elif after < before:
            tally["fewer fetches"] += 1
        elif after > before:
            tally["more fetches"] += 1

    compare()
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.planner.compare", description=__doc__)
    parser.add_argument("--examples", type=int, default=150)
    args = parser.parse_args()
    from tests.router.planner.test_fetches_are_valid import NAMES, _federation, _scalars

    counts: dict[str, Counter[str]] = {}
    with tempfile.TemporaryDirectory() as directory:
        old_planner = _old_planner(Path(directory))
        for name in NAMES:
            new = _federation(name)[0]
            strategy = queries(
                print_schema(new.supergraph.api_schema),
                custom_scalars=_scalars(name),
                allow_x00=False,
                codec="ascii",
            )
            counts[name] = _tally(old_planner(new.supergraph), new, strategy, args.examples)
    columns = ["queries", "fewer fetches", "more fetches", "only new plans", "only old plans"]
    print("| federation | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for name, tally in counts.items():
        print(f"| {name} | " + " | ".join(str(tally[c]) for c in columns) + " |")


if __name__ == "__main__":
    main()
