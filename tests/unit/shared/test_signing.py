from __future__ import annotations

from subgraphs.shared.signing import sign, verify

KEY = "a-shared-secret-of-the-router"


def test_a_fresh_signature_verifies() -> None:
    assert verify(sign(b'{"query":"{a}"}', key=KEY), b'{"query":"{a}"}', key=KEY)


def test_a_changed_body_is_refused() -> None:
    header = sign(b'{"query":"{a}"}', key=KEY)
    assert not verify(header, b'{"query":"{b}"}', key=KEY)


def test_another_key_is_refused() -> None:
    assert not verify(sign(b"x", key="other"), b"x", key=KEY)


def test_a_stale_signature_is_refused() -> None:
    header = sign(b"x", key=KEY, timestamp=1_000_000)
    assert not verify(header, b"x", key=KEY, now=1_000_000 + 301)
    assert verify(header, b"x", key=KEY, now=1_000_000 + 299)


def test_missing_or_garbled_signatures_are_refused() -> None:
    assert not verify(None, b"x", key=KEY)
    assert not verify("", b"x", key=KEY)
    assert not verify("t=abc,v1=00", b"x", key=KEY)
    assert not verify("v1=00", b"x", key=KEY)


def test_the_path_and_forwarded_identity_are_bound() -> None:
    headers = {"authorization": "Bearer a", "x-forwarded-for": "203.0.113.1"}
    header = sign(b"x", key=KEY, path="/graphql", headers=headers)
    assert verify(header, b"x", key=KEY, path="/graphql", headers=headers)
    assert not verify(header, b"x", key=KEY, path="/other", headers=headers)
    assert not verify(header, b"x", key=KEY, headers={**headers, "authorization": "Bearer b"})
    assert not verify(header, b"x", key=KEY, headers={"authorization": "Bearer a"})


def test_the_request_id_is_bound() -> None:
    headers = {"authorization": "Bearer a", "x-request-id": "r1"}
    header = sign(b"x", key=KEY, headers=headers)
    assert verify(header, b"x", key=KEY, headers=headers)
    assert not verify(header, b"x", key=KEY, headers={**headers, "x-request-id": "r2"})
    assert not verify(header, b"x", key=KEY, headers={"authorization": "Bearer a"})
    unstamped = sign(b"x", key=KEY, headers={"authorization": "Bearer a"})
    assert not verify(unstamped, b"x", key=KEY, headers=headers)


def test_every_signature_has_its_own_nonce() -> None:
    assert sign(b"x", key=KEY, timestamp=1) != sign(b"x", key=KEY, timestamp=1)
