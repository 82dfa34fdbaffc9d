"""A real reverse proxy process in front of routers (`forwarding_proxy.mjs`: `http-proxy`
from npm): it appends the address it saw to `X-Forwarded-For` over HTTP and WebSocket
upgrades, connects out from an address of its own and balances round robin.

    with forwarding_proxy(router_1, router_2, listen="127.0.0.3", local="127.0.0.3",
                          log=tmp / "proxy.log") as proxy:
        proxy.url        # http://127.0.0.3:<port>
        proxy.targets()  # the target of each request it forwarded, in order
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.node import require_node_package

SCRIPT = Path(__file__).with_name("forwarding_proxy.mjs")
START_SECONDS = 30.0  # a bound against hanging, not a timing assertion


@dataclass(frozen=True)
class ForwardingProxy:
    url: str
    log: Path

    def lines(self) -> list[dict[str, Any]]:
        """What the proxy printed (its JSON lines; node's own warnings left out)."""
        text = self.log.read_text() if self.log.exists() else ""
        return [json.loads(line) for line in text.splitlines() if line.startswith("{")]

    def targets(self) -> list[str]:
        return [line["target"] for line in self.lines() if "target" in line]


@contextmanager
def forwarding_proxy(
    *targets: str, listen: str, local: str, log: Path
) -> Iterator[ForwardingProxy]:
    """Run the proxy until the block ends (SIGTERM, then SIGKILL)."""
    modules = require_node_package("http-proxy").parent
    with log.open("wb") as output:
        process = subprocess.Popen(
            ["node", str(SCRIPT), str(modules), listen, local, *targets],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            port = _port(process, log)
            yield ForwardingProxy(url=f"http://{listen}:{port}", log=log)
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def _port(process: subprocess.Popen[bytes], log: Path) -> int:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines():
            if line.startswith('{"port"'):
                return int(json.loads(line)["port"])
        if process.poll() is not None:
            raise AssertionError(f"the proxy exited with {process.returncode}:\n{log.read_text()}")
        time.sleep(0.05)
    raise AssertionError(f"the proxy did not listen within {START_SECONDS:g} s:\n{log.read_text()}")
