"""Entry points for the `healthbook` CLI: serve the router, print a query plan."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

import uvicorn

from router.app import create_app
from router.collector import settle_collector
from router.config import RouterConfig
from router.document import RequestError, coerce_variables, prepare_operation
from router.edge.config import EdgeConfig
from router.edge.guard import Edge
from router.override_labels import parse_labels
from router.planner import Planner
from router.selection import PlanningError
from router.supergraph import load_supergraph
from router.workers import listening_socket, run_workers

__all__ = ["plan_command", "serve"]


def serve(supergraph_path: Path, host: str, port: int) -> None:
    """Serve the router for `supergraph_path` on host:port until interrupted."""
    config = dataclasses.replace(
        RouterConfig.from_env(), supergraph_path=supergraph_path, host=host, port=port
    )
    edge_config = EdgeConfig.from_env()
    cert, key = edge_config.tls_cert, edge_config.tls_key

    def serve_one() -> None:
        sock = listening_socket(host, port, reuse_port=config.workers > 1)
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(config, edge=Edge(edge_config)),
                access_log=False,
                log_level="info",
                loop="uvloop",
                http="httptools",
                ssl_certfile=str(cert) if cert else None,
                ssl_keyfile=str(key) if key else None,
            )
        )
        settle_collector()
        server.run(sockets=[sock])

    run_workers(config.workers, serve_one)


def plan_command(argv: list[str]) -> int:
    """`healthbook router plan --supergraph PATH QUERYFILE [--operation NAME] [--labels L]`:
    print a plan (with the progressive `@override` labels `L` active)."""
    parser = argparse.ArgumentParser(
        prog="healthbook router plan",
        description="Print how the router would fetch an operation from the subgraphs.",
    )
    parser.add_argument("--supergraph", type=Path, required=True, help="supergraph SDL file")
    parser.add_argument("query_file", type=Path, help="file holding the GraphQL operation")
    parser.add_argument("--operation", help="operation name, when the file holds several")
    parser.add_argument("--variables", default="{}", help="variables as JSON (for @skip/@include)")
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")
    parser.add_argument(
        "--labels",
        default="",
        help="progressive @override labels active, comma-separated (e.g. 'percent(50),beta')",
    )
    args = parser.parse_args(argv)
    try:
        supergraph = load_supergraph(args.supergraph)
        query = args.query_file.read_text(encoding="utf-8")
        prepared = prepare_operation(supergraph.api_schema, query, args.operation)
        variables = coerce_variables(supergraph.api_schema, prepared, json.loads(args.variables))
        labels = parse_labels(args.labels)
        plan = Planner(supergraph).plan(prepared.operation, prepared.fragments, variables, labels)
    except RequestError as error:
        for e in error.errors:
            print(f"error: {e.message}", file=sys.stderr)
        return 1
    except (OSError, ValueError, PlanningError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(json.dumps(plan.to_json(), indent=2) if args.json else plan.describe())
    return 0
