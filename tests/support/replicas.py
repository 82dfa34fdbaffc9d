"""Two replicas of every Healthbook component as separate `healthbook serve` processes on
loopback, in the distributed mode: 4 subgraphs x 2, the router x 2, the worker x 2 and the
scheduler x 2, on real PostgreSQL, RabbitMQ and Redis.

Each dependency is reached through a TcpProxy of its own (`postgres`, `rabbitmq`, `redis`),
so a test cuts and restores it without touching the shared service. Each subgraph's two
replicas sit behind a round-robin TcpProxy (its `balancer`), which the routers, the
appointments subgraph (DOCTORS_URL) and every token verifier (JWKS_URL) call.

    async with replicas(stores, tmp_path, sink_port=..., sms=..., extra_env=...) as system:
        system.routers          # the two routers' base URLs
        system.kill("worker-1") # SIGKILL one process
"""

from __future__ import annotations

import asyncio
import random
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import ExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from healthbook.stores import seed
from subgraphs.identity.credentials.keys import private_pem
from subgraphs.shared.database import Database
from subgraphs.shared.settings import COMPONENTS, Settings
from tests.support.fake_sms import FakeSmsProvider
from tests.support.processes import free_ports, healthbook
from tests.support.proxy import TcpProxy, tcp_proxy
from tests.support.services import POSTGRES, RABBITMQ, REDIS

REPLICAS = 2
SIGNING_KEY = "replicas-test-signing-key"
READY_SECONDS = 420.0  # a bound against hanging on a loaded machine, not a timing assertion
SENDER = "Healthbook <no-reply@healthbook.local>"


@dataclass
class System:
    """The running processes, their logs and the proxies in front of their dependencies."""

    processes: dict[str, subprocess.Popen[bytes]]
    logs: dict[str, Path]
    routers: list[str]
    postgres: TcpProxy
    rabbitmq: TcpProxy
    redis: TcpProxy
    balancers: dict[str, TcpProxy] = field(default_factory=dict)

    def kill(self, name: str) -> None:
        """SIGKILL one process (no clean-up of any kind) and reap it."""
        process = self.processes[name]
        process.send_signal(signal.SIGKILL)
        process.wait(10)

    def exited(self) -> dict[str, int]:
        """Processes that ended by themselves (a killed one is listed too)."""
        return {
            name: code
            for name, process in self.processes.items()
            if (code := process.poll()) is not None
        }


def server_port() -> int:
    """A free port below the kernel's ephemeral range: with fourteen processes opening
    connections meanwhile, a port picked from that range (port 0) can be taken by some
    outgoing connection before its server binds it."""
    low, _high = (
        int(n) for n in Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
    )
    while True:
        port = random.randrange(max(1024, low - 12000), low)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port


def url_via(database: Database, port: int) -> str:
    """The store's URL with its port replaced by a proxy's."""
    return database.engine.url.set(port=port).render_as_string(hide_password=False)


def environment(
    *,
    stores: Mapping[str, Database],
    data_dir: Path,
    amqp_url: str,
    postgres: TcpProxy,
    rabbitmq: TcpProxy,
    redis: TcpProxy,
    balancers: Mapping[str, TcpProxy],
    smtp_port: int,
    sms: FakeSmsProvider,
) -> dict[str, str]:
    """What every process of the system reads (production mode, all through the proxies)."""
    broker = amqp_url.replace(f":{RABBITMQ[1]}/", f":{rabbitmq.port}/")
    env = {
        **free_ports(),  # defaults nobody else uses; each replica gets --port
        "HEALTHBOOK_ENV": "production",
        "HEALTHBOOK_DATA_DIR": str(data_dir),
        "HEALTHBOOK_SIGNING_KEY": SIGNING_KEY,
        "BROKER_URL": broker,
        "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
        "REDIS_PREFIX": f"hb-test-{uuid.uuid4().hex[:8]}:",
        "JWT_PRIVATE_KEY": private_pem(Ed25519PrivateKey.generate()).decode(),
        "JWKS_URL": f"http://127.0.0.1:{balancers['identity'].port}/.well-known/jwks.json",
        "DOCTORS_URL": f"http://127.0.0.1:{balancers['doctors'].port}/graphql",
        "OUTBOX_POLL_SECONDS": "0.2",
        "LOG_LEVEL": "WARNING",
        "ROUTER_REQUIRE_HTTPS": "false",
        "ROUTER_RATE_LIMIT": "0",
        "ROUTER_SUBGRAPH_TIMEOUT": "15",
        "APPOINTMENTS_REQUIRE_CONFIRMATION": "false",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "SMTP_FROM": SENDER,
        "SMS_PROVIDER": "twilio",
        "SMS_API_URL": sms.url,
        "SMS_ACCOUNT_SID": sms.account_sid,
        "SMS_AUTH_TOKEN": sms.auth_token,
    }
    for name, database in stores.items():
        env[f"{name.upper()}_DATABASE_URL"] = url_via(database, postgres.port)
        env[f"ROUTER_SUBGRAPH_{name.upper()}_URL"] = (
            f"http://127.0.0.1:{balancers[name].port}/graphql"
        )
    return env


async def seed_demo_data(stores: Mapping[str, Database], data_dir: Path) -> None:
    """The demo accounts, doctors and contacts, written straight into the stores (no bus)."""
    env = {
        "HEALTHBOOK_DATA_DIR": str(data_dir),
        **{
            f"{name.upper()}_DATABASE_URL": db.engine.url.render_as_string(hide_password=False)
            for name, db in stores.items()
        },
    }
    await seed(Settings.from_env(env))


async def _ready(
    url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = READY_SECONDS
) -> None:
    """Poll `url` until it answers 200; fail with its last answer and the process output."""
    deadline = time.monotonic() + seconds
    last = "no answer"
    async with httpx.AsyncClient(timeout=5) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(
                    f"{log.stem} exited with {process.returncode}:\n{log.read_text()}"
                )
            try:
                answer = await client.get(url)
                if answer.status_code == 200:
                    return
                last = f"{answer.status_code} {answer.text[:300]}"
            except httpx.HTTPError as error:
                last = repr(error)
            await asyncio.sleep(0.3)
    raise AssertionError(f"{log.stem} not ready after {seconds:g} s ({last}):\n{log.read_text()}")


@asynccontextmanager
async def replicas(
    stores: Mapping[str, Database],
    tmp: Path,
    *,
    amqp_url: str,
    smtp_port: int,
    sms: FakeSmsProvider,
    extra_env: Mapping[str, str],
) -> AsyncIterator[System]:
    """Start every process at once, wait until each server is ready; stop them all after."""
    data_dir = tmp / "data"
    await seed_demo_data(stores, data_dir)
    ports = {f"{name}-{i}": server_port() for name in (*COMPONENTS, "router") for i in (1, 2)}
    with ExitStack() as stack:
        postgres = stack.enter_context(tcp_proxy(POSTGRES))
        rabbitmq = stack.enter_context(tcp_proxy(RABBITMQ))
        redis = stack.enter_context(tcp_proxy(REDIS))
        balancers = {
            name: stack.enter_context(
                tcp_proxy(*[("127.0.0.1", ports[f"{name}-{i}"]) for i in (1, 2)])
            )
            for name in COMPONENTS
        }
        env = environment(
            stores=stores,
            data_dir=data_dir,
            amqp_url=amqp_url,
            postgres=postgres,
            rabbitmq=rabbitmq,
            redis=redis,
            balancers=balancers,
            smtp_port=smtp_port,
            sms=sms,
        ) | dict(extra_env)
        processes: dict[str, subprocess.Popen[bytes]] = {}
        logs: dict[str, Path] = {}
        for name in (*COMPONENTS, "router", "worker", "scheduler"):
            for i in range(1, REPLICAS + 1):
                key = f"{name}-{i}"
                args = ["serve", name]
                if key in ports:
                    args += ["--port", str(ports[key])]
                logs[key] = tmp / f"{key}.log"
                processes[key] = stack.enter_context(healthbook(args, env, logs[key]))
        await asyncio.gather(
            *(
                _ready(f"http://127.0.0.1:{port}/health/ready", processes[key], logs[key])
                for key, port in ports.items()
            )
        )
        try:
            yield System(
                processes=processes,
                logs=logs,
                routers=[f"http://127.0.0.1:{ports[f'router-{i}']}" for i in (1, 2)],
                postgres=postgres,
                rabbitmq=rabbitmq,
                redis=redis,
                balancers=balancers,
            )
        finally:  # ask every process to stop at once; the stack then waits for each
            for process in processes.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)
