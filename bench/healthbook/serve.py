"""`python -m bench.healthbook.serve --supergraph F --port P`: our router with its edge on
(JWT verified against identity's JWKS, CSRF, limits; rate limits off), as `healthbook serve
router` runs it but on uvloop/httptools like the gateways benchmark; unsigned unless
HEALTHBOOK_SIGNING_KEY is set (`bench.live`)."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

import uvicorn

from healthbook.gateway import request_signer
from router.app import create_app
from router.collector import settle_collector
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
    parser.add_argument(
        "--ws", default="auto", help="uvicorn's WebSocket implementation (bench.live compares)"
    )
    args = parser.parse_args()
    settings = Settings.from_env()
    edge = Edge(
        dataclasses.replace(EdgeConfig.from_env(), rate_limit=0),
        authenticator=authenticator_from_settings(settings, None),
    )
    config = RouterConfig(expose_query_plan=False, max_connections=200)
    signer = request_signer(settings.signing_key) if settings.signing_key else None
    app = create_app(config, supergraph=load_supergraph(args.supergraph), edge=edge, signer=signer)
    settle_collector()  # as `healthbook serve router` does
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        access_log=False,
        loop="uvloop",
        http="httptools",
        ws=args.ws,
    )


if __name__ == "__main__":
    main()
