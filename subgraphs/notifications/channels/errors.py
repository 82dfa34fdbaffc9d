"""How a channel adapter says a message can never be delivered."""

from __future__ import annotations


class PermanentDeliveryError(Exception):
    """The provider refused this message for good (bad address, rejected content)."""
