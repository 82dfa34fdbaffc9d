"""Processes the benchmark starts: `python -m bench.gateways.serve subgraphs|router ...`."""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from bench.gateways.subgraphs import create_subgraphs_app
from router.app import create_app
from router.config import RouterConfig
from router.supergraph import load_supergraph


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.gateways.serve")
    parser.add_argument("what", choices=["subgraphs", "router"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--supergraph", type=Path)
    parser.add_argument("--no-dedupe", action="store_true", help="router: no request dedupe")
    args = parser.parse_args()
    if args.what == "subgraphs":
        app = create_subgraphs_app()
    else:
        config = RouterConfig(
            expose_query_plan=False,
            max_connections=200,
            deduplicate_subgraph_requests=not args.no_dedupe,
        )
        app = create_app(config, supergraph=load_supergraph(args.supergraph))
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        access_log=False,
        loop="uvloop",
        http="httptools",
    )


if __name__ == "__main__":
    main()
