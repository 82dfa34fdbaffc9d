"""Processes the benchmark starts: `python -m bench.gateways.serve subgraphs|router ...`."""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from bench.gateways.subgraphs import create_subgraphs_app
from router.app import create_app
from router.collector import settle_collector
from router.config import RouterConfig
from router.supergraph import load_supergraph
from router.workers import listening_socket, run_workers


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.gateways.serve")
    parser.add_argument("what", choices=["subgraphs", "router"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--supergraph", type=Path)
    parser.add_argument("--no-dedupe", action="store_true", help="router: no request dedupe")
    parser.add_argument("--memoize", action="store_true", help="subgraphs: memoized answers")
    parser.add_argument(
        "--dedupe-inbound", action="store_true", help="router: inbound request dedupe"
    )
    parser.add_argument("--workers", type=int, default=1, help="router processes on the port")
    parser.add_argument("--loop", choices=["uvloop", "asyncio"], default="uvloop")
    parser.add_argument("--http", choices=["httptools", "h11"], default="httptools")
    args = parser.parse_args()

    def serve_one() -> None:
        if args.what == "subgraphs":
            app = create_subgraphs_app(memoize=args.memoize)
        else:
            config = RouterConfig(
                expose_query_plan=False,
                max_connections=200,
                deduplicate_subgraph_requests=not args.no_dedupe,
                deduplicate_requests=args.dedupe_inbound,
            )
            app = create_app(config, supergraph=load_supergraph(args.supergraph))
            settle_collector()  # as `healthbook serve router` does
        server = uvicorn.Server(
            uvicorn.Config(
                app, log_level="warning", access_log=False, loop=args.loop, http=args.http
            )
        )
        sock = listening_socket("127.0.0.1", args.port, reuse_port=args.workers > 1)
        server.run(sockets=[sock])

    run_workers(args.workers, serve_one)


if __name__ == "__main__":
    main()
