"""Identity's signing keys: the current Ed25519 key, the extra public keys, and the JWKS.

Two sources:

- configuration: `JWT_PRIVATE_KEY` (PEM, PKCS#8) signs; `JWT_ADDITIONAL_PUBLIC_KEYS` (PEM
  public keys, concatenated) are served in the JWKS too. Required in production.
- the data directory (embedded mode, when `JWT_PRIVATE_KEY` is unset): `<data>/keys/jwt/`
  holds `<unix time>-<kid>.pem` files (mode 0600, never committed). The newest signs; the
  one before it stays in the JWKS until the access tokens it signed have expired, then its
  file is deleted. `python -m subgraphs.identity.credentials.keys rotate [data dir]` adds a new key.

Every key's `kid` is its RFC 7638 JWK thumbprint, so it needs no configuration.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from subgraphs.identity.settings import IdentitySettings
from subgraphs.shared.settings import ConfigError

KEY_FOLDER = Path("keys") / "jwt"
RETIREMENT_MARGIN_SECONDS = 120
_PEM_BLOCK = "-----END PUBLIC KEY-----"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _raw(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def kid_of(public_key: Ed25519PublicKey) -> str:
    """The RFC 7638 thumbprint of the key's JWK."""
    canonical = json.dumps(
        {"crv": "Ed25519", "kty": "OKP", "x": _b64(_raw(public_key))},
        separators=(",", ":"),
        sort_keys=True,
    )
    return _b64(hashlib.sha256(canonical.encode()).digest())


def jwk_of(public_key: Ed25519PublicKey) -> dict[str, str]:
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": _b64(_raw(public_key)),
        "kid": kid_of(public_key),
        "alg": "EdDSA",
        "use": "sig",
    }


@dataclass(frozen=True)
class KeyRing:
    """The key that signs and every public key verifiers should accept."""

    signing_key: Ed25519PrivateKey
    additional: tuple[Ed25519PublicKey, ...] = ()

    @property
    def kid(self) -> str:
        return kid_of(self.signing_key.public_key())

    def jwks(self) -> dict[str, Any]:
        keys = [jwk_of(self.signing_key.public_key())]
        keys += [jwk_of(key) for key in self.additional if kid_of(key) != self.kid]
        return {"keys": keys}

    @classmethod
    def generate(cls) -> KeyRing:
        return cls(Ed25519PrivateKey.generate())


def _private_from_pem(pem: str, *, source: str) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError):
        raise ConfigError(f"{source} is not a PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ConfigError(f"{source} must be an Ed25519 key")
    return key


def _publics_from_pem(text: str) -> tuple[Ed25519PublicKey, ...]:
    keys = []
    for block in text.split(_PEM_BLOCK):
        if not block.strip():
            continue
        try:
            key = serialization.load_pem_public_key(f"{block.strip()}\n{_PEM_BLOCK}\n".encode())
        except ValueError:
            raise ConfigError("JWT_ADDITIONAL_PUBLIC_KEYS holds a malformed PEM key") from None
        if not isinstance(key, Ed25519PublicKey):
            raise ConfigError("JWT_ADDITIONAL_PUBLIC_KEYS must hold Ed25519 public keys")
        keys.append(key)
    return tuple(keys)


def private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def rotate(directory: Path, *, now: float | None = None) -> str:
    """Add a new signing key file to `directory` (mode 0600); returns its kid."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = Ed25519PrivateKey.generate()
    kid = kid_of(key.public_key())
    stamp = int(time.time() if now is None else now)
    path = directory / f"{stamp:012d}-{kid}.pem"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(private_pem(key))
    return kid


def from_directory(directory: Path, *, keep_seconds: int, now: float | None = None) -> KeyRing:
    """The ring of the key files in `directory` (one generated when there is none)."""
    moment = time.time() if now is None else now
    if not sorted(directory.glob("*.pem")):
        rotate(directory, now=moment)
    files = sorted(directory.glob("*.pem"))
    current = files[-1]
    signing = _private_from_pem(current.read_text(), source=str(current))
    additional = []
    successor_since = int(current.name.split("-", 1)[0])
    for path in reversed(files[:-1]):
        if moment - successor_since <= keep_seconds:
            additional.append(_private_from_pem(path.read_text(), source=str(path)).public_key())
        else:
            path.unlink(missing_ok=True)  # nothing it signed is still valid
        successor_since = int(path.name.split("-", 1)[0])
    return KeyRing(signing, tuple(additional))


def load(settings: IdentitySettings, *, data_dir: Path, production: bool) -> KeyRing:
    """The key ring from configuration, or from the data directory outside production."""
    additional = _publics_from_pem(settings.additional_public_keys_pem)
    if settings.private_key_pem:
        signing = _private_from_pem(settings.private_key_pem, source="JWT_PRIVATE_KEY")
        return KeyRing(signing, additional)
    if production:
        raise ConfigError("JWT_PRIVATE_KEY is required in production (a PEM Ed25519 key)")
    keep = settings.access_token_ttl_seconds + RETIREMENT_MARGIN_SECONDS
    ring = from_directory(data_dir / KEY_FOLDER, keep_seconds=keep)
    return KeyRing(ring.signing_key, ring.additional + additional)


def main(argv: list[str]) -> int:
    """`python -m subgraphs.identity.credentials.keys rotate [dir]` or `… generate` (PEM out)."""
    if argv[:1] == ["rotate"]:
        data_dir = Path(
            argv[1] if len(argv) > 1 else os.environ.get("HEALTHBOOK_DATA_DIR", ".data")
        )
        print(f"new signing key {rotate(data_dir / KEY_FOLDER)}; restart identity to use it")
        return 0
    if argv[:1] == ["generate"]:
        key = Ed25519PrivateKey.generate()
        sys.stdout.write(private_pem(key).decode() + public_pem(key.public_key()).decode())
        return 0
    print(main.__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
