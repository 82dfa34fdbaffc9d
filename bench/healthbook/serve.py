"""`python -m bench.healthbook.serve --supergraph F --port P`: our router with its edge on
(JWT verified against identity's JWKS, CSRF, limits; rate limits off), as `healthbook serve
router` runs it but unsigned and on uvloop/httptools like the gateways benchmark."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import uvicorn

from router.app import create_app
from router.config import RouterConfig
from router.edge.config import EdgeConfig
from router.edge.guard import Edge
from router.supergraph import load_supergraph
from subgraphs.shared.settings import Settings
from subgraphs.shared.tokens import authenticator_from_settings


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.healthbook.serve")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--supergraph", type=Path, required=True)
    args = parser.parse_args()
    edge = Edge(
        dataclasses.replace(EdgeConfig.from_env(), rate_limit=0),
        authenticator=authenticator_from_settings(Settings.from_env(), None),
    )
    config = RouterConfig(expose_query_plan=False, max_connections=200)
    app = create_app(config, supergraph=load_supergraph(args.supergraph), edge=edge)
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
