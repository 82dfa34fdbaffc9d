"""Planning time: `python -m bench.planner [--repeat N]` prints a Markdown table.

For each operation: the cold plan (a new `Planner`, so the query graph's search memo is
empty; the query graph itself is built in the constructor and timed apart), and the
uncached plan on a warm planner (median and max of N plans; the gateway's plan cache would
answer these without planning at all). Operations: the gateways benchmark query, and
Healthbook's biggest operations (the two benchmarked ones and the widest query the API
schema allows to depth 4 without arguments).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

from graphql import (
    GraphQLInterfaceType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
)

from bench.healthbook.workload import OPERATIONS
from router.document import prepare_operation
from router.planner import Planner
from router.supergraph import Supergraph, read_supergraph

ROOT = Path(__file__).resolve().parents[2]


def widest_query(schema: GraphQLSchema, depth: int = 4) -> str:
    """Every field without required arguments, to `depth`, from the query root."""
    query = schema.query_type
    assert query is not None
    return "{ " + _fields(schema, query, depth, set()) + " }"


def _fields(
    schema: GraphQLSchema,
    type_: GraphQLObjectType | GraphQLInterfaceType,
    depth: int,
    seen: set[str],
) -> str:
    parts: list[str] = []
    for name, field in type_.fields.items():
        if any(isinstance(a.type, GraphQLNonNull) for a in field.args.values()):
            continue
        named = get_named_type(field.type)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType):
            if depth <= 1 or named.name in seen:
                continue
            inner = _composite(schema, named, depth - 1, seen | {named.name})
            if inner:
                parts.append(f"{name} {{ {inner} }}")
        else:
            parts.append(name)
    return " ".join(parts)


def _composite(schema: GraphQLSchema, named: object, depth: int, seen: set[str]) -> str:
    if isinstance(named, GraphQLObjectType):
        return _fields(schema, named, depth, seen)
    assert isinstance(named, GraphQLInterfaceType | GraphQLUnionType)
    members = schema.get_possible_types(named)
    inner = [f"... on {m.name} {{ {_fields(schema, m, depth, seen)} }}" for m in members]
    return "__typename " + " ".join(i for i in inner if not i.endswith("{  }"))


def operations() -> Iterator[tuple[str, Supergraph, str]]:
    workload = ROOT / "bench" / "gateways" / "workload"
    benchmark = read_supergraph((workload / "supergraph.graphql").read_text())
    yield "gateways benchmark query", benchmark, (workload / "query.graphql").read_text()
    healthbook = read_supergraph((ROOT / "schema" / "supergraph.graphql").read_text())
    for name, (query, _who) in OPERATIONS.items():
        yield f"Healthbook: {name}", healthbook, query
    yield "Healthbook: widest query, depth 4", healthbook, widest_query(healthbook.api_schema)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.planner", description=__doc__)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    print("| operation | fetches | query graph built | cold plan | warm plan, median | max |")
    print("|---|---|---|---|---|---|")
    for name, supergraph, query in operations():
        prepared = prepare_operation(supergraph.api_schema, query, None)
        started = time.perf_counter()
        planner = Planner(supergraph)
        built = time.perf_counter() - started
        started = time.perf_counter()
        plan = planner.plan(prepared.operation, prepared.fragments, {})
        cold = time.perf_counter() - started
        warm: list[float] = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            planner.plan(prepared.operation, prepared.fragments, {})
            warm.append(time.perf_counter() - started)
        print(
            f"| {name} | {len(plan.fetches)} | {built * 1000:.1f} ms | {cold * 1000:.2f} ms "
            f"| {statistics.median(warm) * 1000:.2f} ms | {max(warm) * 1000:.2f} ms |"
        )


if __name__ == "__main__":
    main()
