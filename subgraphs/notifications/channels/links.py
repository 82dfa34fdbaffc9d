"""One-time links (password reset, invitation) whose secret identity hands over through the
shared cache (`subgraphs.shared.handoff`): revealed only to send, then forgotten."""

from __future__ import annotations

from urllib.parse import quote

from subgraphs.shared import handoff
from subgraphs.shared.cache import Cache

# The web app's page for each one-time link (the invitation page greets a new doctor).
PAGES = {"doctor_invited": "invitation"}
DEFAULT_PAGE = "reset-password"


class OneTimeLinks:
    """Builds `<public url>/reset-password?token=<secret>` (an invitation:
    `/invitation?token=<secret>`) from a delivery id."""

    def __init__(self, cache: Cache, public_url: str) -> None:
        self._cache = cache
        self._base = public_url.rstrip("/")

    async def reveal(self, delivery_id: str, *, template: str = "") -> str | None:
        """The link for a message of `template`, or None once the secret expired or was
        already delivered."""
        secret = await handoff.reveal(self._cache, delivery_id)
        if secret is None:
            return None
        page = PAGES.get(template, DEFAULT_PAGE)
        return f"{self._base}/{page}?token={quote(secret, safe='')}"

    async def forget(self, delivery_id: str) -> None:
        await handoff.discard(self._cache, delivery_id)
