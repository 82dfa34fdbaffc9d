"""One-time links (password reset, invitation) whose secret identity hands over through the
shared cache (`subgraphs.shared.handoff`): revealed only to send, then forgotten."""

from __future__ import annotations

from urllib.parse import quote

from subgraphs.shared import handoff
from subgraphs.shared.cache import Cache


class OneTimeLinks:
    """Builds `<public url>/reset-password?token=<secret>` from a delivery id."""

    def __init__(self, cache: Cache, public_url: str) -> None:
        self._cache = cache
        self._base = public_url.rstrip("/")

    async def reveal(self, delivery_id: str) -> str | None:
        """The link, or None once the secret expired or was already delivered."""
        secret = await handoff.reveal(self._cache, delivery_id)
        if secret is None:
            return None
        return f"{self._base}/reset-password?token={quote(secret, safe='')}"

    async def forget(self, delivery_id: str) -> None:
        await handoff.discard(self._cache, delivery_id)
