"""One appointments server process, for tests that need several (run with `python -m`).

    python -m tests.integration.appointments.instance PORT

Reads the usual environment (APPOINTMENTS_DATABASE_URL, REDIS_URL, REDIS_PREFIX, ...) and
TEST_JWKS, the public keys of the test's token minter.
"""

from __future__ import annotations

import json
import os
import sys

import uvicorn

from subgraphs.appointments.app import SPEC
from subgraphs.shared.app import create_subgraph_app
from subgraphs.shared.resources import Resources
from subgraphs.shared.settings import Settings
from subgraphs.shared.tokens import JwtVerifier, StaticJwks
from tests.support.tokens import TEST_AUDIENCE, TEST_ISSUER


def main() -> None:
    port = int(sys.argv[1])
    authenticator = JwtVerifier(
        keys=StaticJwks(json.loads(os.environ["TEST_JWKS"])),
        issuer=TEST_ISSUER,
        audience=TEST_AUDIENCE,
        cache=None,
        leeway_seconds=0,
    )
    resources = Resources.open("appointments", Settings.from_env(), authenticator=authenticator)
    app = create_subgraph_app(SPEC, resources)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")


if __name__ == "__main__":
    main()
