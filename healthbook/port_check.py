"""Every port the embedded mode listens on, checked before anything starts.

A port in use (a second checkout's `make run`, say) stops `healthbook up` with one line
naming the variable to change, instead of a traceback after the stores were migrated.
"""

from __future__ import annotations

import errno
import os
import socket
from collections.abc import Mapping

from subgraphs.shared.settings import Settings


def embedded_ports(settings: Settings, environ: Mapping[str, str] | None = None) -> dict[str, int]:
    """Variable name → port for every listener of `healthbook up`."""
    env = os.environ if environ is None else environ
    ports = {f"{name.upper()}_PORT": port for name, port in settings.ports.items()}
    if not env.get("SMTP_HOST"):  # the embedded mode runs its own SMTP server
        ports["SMTP_PORT"] = int(env.get("SMTP_PORT") or 1025)
    return ports


def port_in_use(host: str, ports: Mapping[str, int]) -> str | None:
    """A one-line message naming the first port that cannot be bound, or None."""
    for variable, port in ports.items():
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError as error:
                if error.errno != errno.EADDRINUSE:
                    raise
                return (
                    f"healthbook: port {port} on {host} is in use; set {variable} to a free port."
                )
    return None
