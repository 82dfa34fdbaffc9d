"""The JWKS endpoint and key rotation as a verifier elsewhere sees them."""

from __future__ import annotations

import uuid

from subgraphs.identity.credentials.keys import KeyRing
from subgraphs.shared.tokens import JwtVerifier, RemoteJwks
from tests.integration.identity.conftest import TOKENS, Api
from tests.support.tokens import Minter


async def test_the_jwks_serves_the_signing_key(api: Api) -> None:
    response = await api.http.get("/.well-known/jwks.json")
    assert response.status_code == 200
    (key,) = response.json()["keys"]
    assert key["kid"] == api.ident.keys.kid
    assert {key["kty"], key["crv"], key["alg"], key["use"]} == {"OKP", "Ed25519", "EdDSA", "sig"}
    assert "d" not in key  # never the private part


async def test_a_remote_verifier_accepts_identity_tokens(api: Api) -> None:
    await api.register("ann@example.org")
    tokens = await api.login("ann@example.org")
    keys = RemoteJwks("http://identity/.well-known/jwks.json", client=api.http)
    verifier = JwtVerifier(keys=keys, issuer=TOKENS.issuer, audience=TOKENS.audience)
    principal = await verifier.verify(tokens["accessToken"])
    assert str(principal.user_id) == tokens["user"]["id"]
    assert principal.claims["sid"]


async def test_after_rotation_old_tokens_verify_until_they_expire(api: Api) -> None:
    old = api.ident.keys
    old_token = Minter(old.signing_key, old.kid, TOKENS.issuer, TOKENS.audience)(uuid.uuid4())
    rotated = KeyRing.generate()
    api.ident.keys = KeyRing(rotated.signing_key, (old.signing_key.public_key(),))
    response = await api.http.get("/.well-known/jwks.json")
    kids = {key["kid"] for key in response.json()["keys"]}
    assert kids == {old.kid, rotated.kid}
    keys = RemoteJwks("http://identity/.well-known/jwks.json", client=api.http)
    verifier = JwtVerifier(keys=keys, issuer=TOKENS.issuer, audience=TOKENS.audience)
    new_token = Minter(rotated.signing_key, rotated.kid, TOKENS.issuer, TOKENS.audience)(
        uuid.uuid4()
    )
    assert await verifier.verify(old_token)
    assert await verifier.verify(new_token)
