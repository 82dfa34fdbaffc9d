"""What the router's upstream subscriptions share: the protocol, the failure, the address."""

from __future__ import annotations

from router.executor import Json

__all__ = ["PROTOCOL", "UpstreamFailed", "websocket_url"]

PROTOCOL = "graphql-transport-ws"


class UpstreamFailed(Exception):
    """The subgraph's stream could not be opened, failed, or closed without completing."""

    def __init__(self, subgraph: str, reason: str, *, errors: list[Json] | None = None) -> None:
        super().__init__(f"{subgraph}: {reason}")
        self.subgraph = subgraph
        self.reason = reason
        self.errors = errors or []


def websocket_url(http_url: str) -> str:
    if http_url.startswith("https://"):
        return "wss://" + http_url[len("https://") :]
    if http_url.startswith("http://"):
        return "ws://" + http_url[len("http://") :]
    return http_url
