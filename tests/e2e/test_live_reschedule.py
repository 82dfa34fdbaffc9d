"""Done when: a patient's phone (a `graphql-ws` client) subscribed through the router receives
a reschedule made by the doctor, with the doctor's fields from the doctors subgraph.

The whole system runs as `healthbook up --seed` (embedded mode). Access tokens are real
EdDSA JWTs verified by the shared verifier in the router and the subgraphs; they come from a
test key whose JWKS a small loopback server publishes (`JWKS_URL`), so this test does not
depend on how identity issues them.
"""

from __future__ import annotations

import json
import subprocess
import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from router.testing.servers import running
from subgraphs.shared.auth import Role
from subgraphs.shared.modules import optional_module
from tests.support.node import require_node_package
from tests.support.processes import free_ports, healthbook, wait_ready
from tests.support.tokens import TEST_AUDIENCE, TEST_ISSUER, Minter

pytestmark = [pytest.mark.node, pytest.mark.timeout(240)]

PATIENT = "patient@healthbook.local"
DOCTOR = "dr.silva@healthbook.local"
ATTEMPTS = 10  # reschedules tried while the phone's subscription is being opened


def user_id(email: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"healthbook:user:{email}")


def jwks_app(minter: Minter) -> Starlette:
    async def jwks(_request: Request) -> JSONResponse:
        return JSONResponse(minter.jwks())

    return Starlette(routes=[Route("/.well-known/jwks.json", jwks)])


def graphql(router: str, token: str, query: str, variables: dict[str, Any]) -> Any:
    response = httpx.post(
        router,
        json={"query": query, "variables": variables},
        headers={"authorization": f"Bearer {token}"},
        timeout=30,
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


class Lines:
    """Reads a process's stdout lines on a thread, so the test can wait with a bound."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[dict[str, Any]] = []
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.reader.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            with self.changed:
                self.lines.append(json.loads(line))
                self.changed.notify_all()

    def wait_for(self, event: str, seconds: float) -> dict[str, Any] | None:
        with self.changed:
            self.changed.wait_for(
                lambda: any(item["event"] == event for item in self.lines), seconds
            )
            return next((item for item in self.lines if item["event"] == event), None)


def test_the_patients_phone_hears_the_doctors_reschedule_with_doctor_details(
    tmp_path: Path,
) -> None:
    if optional_module("subgraphs.doctors.seed") is None:
        pytest.skip("needs the doctors subgraph's demo data (subgraphs/doctors/seed.py)")
    modules = require_node_package("graphql-ws").parent
    minter = Minter()
    patient = minter(user_id(PATIENT), Role.PATIENT)
    doctor = minter(user_id(DOCTOR), Role.DOCTOR)
    with running(jwks_app(minter)) as jwks:
        ports = free_ports()
        env = {
            **ports,
            "HEALTHBOOK_DATA_DIR": str(tmp_path / "data"),
            "LOG_LEVEL": "WARNING",
            "JWKS_URL": f"{jwks}/.well-known/jwks.json",
            "JWT_ISSUER": TEST_ISSUER,
            "JWT_AUDIENCE": TEST_AUDIENCE,
            # Appointments asks doctors for availability directly (signed), on its port.
            "DOCTORS_URL": f"http://127.0.0.1:{ports['DOCTORS_PORT']}/graphql",
        }
        log = tmp_path / "up.log"
        with healthbook(["up", "--seed"], env, log) as process:
            base = f"127.0.0.1:{ports['ROUTER_PORT']}"
            wait_ready(f"http://{base}/health/ready", process, log)
            router = f"http://{base}/graphql"
            mine = graphql(
                router,
                patient,
                "{ myAppointments { items { id start status doctor { id name userId } } } }",
                {},
            )["myAppointments"]["items"]
            visit = next(a for a in mine if a["doctor"]["userId"] == str(user_id(DOCTOR)))
            now = datetime.now(UTC)
            slots = graphql(
                router,
                doctor,
                "query($d: ID!, $f: DateTime!, $t: DateTime!) "
                "{ availableSlots(doctorId: $d, from: $f, to: $t) { start } }",
                {
                    "d": visit["doctor"]["id"],
                    "f": (now + timedelta(days=1)).isoformat(),
                    "t": (now + timedelta(days=30)).isoformat(),
                },
            )["availableSlots"]
            assert len(slots) >= ATTEMPTS
            phone = subprocess.Popen(
                [
                    "node",
                    str(Path(__file__).with_name("phone.mjs")),
                    str(modules),
                    f"ws://{base}/graphql",
                    f"Bearer {patient}",
                    "RESCHEDULED",
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            assert phone.stdout is not None
            lines = Lines(phone.stdout)
            try:
                assert lines.wait_for("connected", 30), lines.lines
                heard = None
                # The phone's subscription reaches the subgraph a moment after `connected`;
                # the doctor moves the visit until the phone hears it (bounded).
                for slot in slots[:ATTEMPTS]:
                    moved = graphql(
                        router,
                        doctor,
                        "mutation($i: RescheduleAppointmentInput!) "
                        "{ rescheduleAppointment(input: $i) { id start } }",
                        {"i": {"id": visit["id"], "start": slot["start"]}},
                    )
                    assert moved["rescheduleAppointment"]["id"] == visit["id"]
                    heard = lines.wait_for("next", 5)
                    if heard is not None:
                        break
                assert heard is not None, (lines.lines, log.read_text()[-3000:])
                update = heard["payload"]["data"]["appointmentUpdates"]
                assert update["action"] == "RESCHEDULED"
                assert update["appointment"]["id"] == visit["id"]
                assert update["appointment"]["doctor"]["name"] == visit["doctor"]["name"]
                assert update["appointment"]["doctor"]["specializations"]
                assert phone.wait(30) == 0
            finally:
                if phone.poll() is None:
                    phone.kill()
                    phone.wait(10)
                lines.reader.join(10)  # the pipe ends with the process
                phone.stdout.close()
