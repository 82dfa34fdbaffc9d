"""The suite's log scan knows every secret in the form the code mints it, and masks it."""

from __future__ import annotations

import hashlib
import secrets
import uuid

import pytest

from subgraphs.appointments.calendar_feed import tokens as feed_tokens
from subgraphs.identity.credentials.issuer import new_secret
from subgraphs.identity.credentials.passwords import DEFAULT, hash_password
from subgraphs.notifications.webhooks import signing as webhook_signing
from subgraphs.shared.auth import Role
from subgraphs.shared.signing import sign
from tests.support.secret_scan import EVERYTHING, SECRETS, mask, scan
from tests.support.tokens import Minter

WEBHOOK_SECRET = webhook_signing.new_secret()
MINTED = {
    "argon2 hash": hash_password("correct horse battery", DEFAULT),  # commas in its parameters
    "JWT": Minter()(uuid.uuid4(), Role.PATIENT),
    "256-bit token": new_secret(),  # refresh, reset, invitation
    "calendar-feed token": feed_tokens.mint(secrets.token_bytes(32), uuid.uuid4(), 1),
    "webhook secret": WEBHOOK_SECRET,
    "webhook signature": webhook_signing.signature(WEBHOOK_SECRET, "msg_1", 1, "{}"),
    "router signature": sign(b"{}", key="k").rpartition(",")[2],
    "test password": "correct horse battery",
    "test phone number": "+15550001111",
    "email": "pat@example.test",
}


@pytest.mark.parametrize("kind", sorted(MINTED))
def test_each_minted_secret_is_found_and_masked_inside_a_line(kind: str) -> None:
    value = MINTED[kind]
    line = f"{{'level': 'ERROR', 'message': \"failed: ('{value}', 3)\"}}"
    hits = scan("app.log", 7, line)
    assert [(hit.kind, hit.line) for hit in hits] == [(kind, 7)]
    assert value not in str(hits[0])
    assert f"<{kind}>" in hits[0].excerpt


def test_identifiers_of_the_same_length_are_not_tokens() -> None:
    line = " ".join(
        (
            "test_concurrent_repeats_of_one_request_make",  # 43 characters, no digit or capital
            uuid.uuid4().hex,
            hashlib.sha256(b"x").hexdigest(),
            secrets.token_urlsafe(16),  # a signature's nonce: not a secret
            "ROUTER_TRUSTED_PROXIES_AND_THEIR_ADDRESSES_1",
        )
    )
    assert scan("app.log", 1, line) == []


def test_the_secrets_proper_leave_emails_to_the_formatted_line() -> None:
    assert scan("app.log", 1, "login for pat@example.test", SECRETS) == []
    assert [hit.kind for hit in scan("app.log", 1, "login for pat@example.test")] == ["email"]


def test_a_masked_line_holds_none_of_its_secrets() -> None:
    line = " ".join(MINTED.values())
    masked = mask(line)
    assert all(value not in masked for value in MINTED.values())
    assert len(scan("app.log", 1, line, EVERYTHING)) == len(MINTED)
