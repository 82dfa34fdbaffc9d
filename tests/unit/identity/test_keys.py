"""Signing keys: from configuration, generated into the data directory, rotated."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from subgraphs.identity.credentials import keys
from subgraphs.identity.settings import IdentitySettings
from subgraphs.shared.settings import ConfigError
from subgraphs.shared.tokens import parse_jwks


def test_embedded_mode_generates_a_private_key_file_readable_by_the_owner_only(
    tmp_path: Path,
) -> None:
    ring = keys.load(IdentitySettings(), data_dir=tmp_path, production=False)
    (path,) = (tmp_path / keys.KEY_FOLDER).glob("*.pem")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ring.kid in path.name
    again = keys.load(IdentitySettings(), data_dir=tmp_path, production=False)
    assert again.kid == ring.kid


def test_production_needs_the_key_from_configuration(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="JWT_PRIVATE_KEY"):
        keys.load(IdentitySettings(), data_dir=tmp_path, production=True)


def test_configured_keys_sign_and_additional_public_keys_are_served(tmp_path: Path) -> None:
    current, previous = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    settings = IdentitySettings(
        private_key_pem=keys.private_pem(current).decode(),
        additional_public_keys_pem=keys.public_pem(previous.public_key()).decode() * 2,
    )
    ring = keys.load(settings, data_dir=tmp_path, production=True)
    assert ring.kid == keys.kid_of(current.public_key())
    served = parse_jwks(ring.jwks())
    assert set(served) == {ring.kid, keys.kid_of(previous.public_key())}
    assert not (tmp_path / keys.KEY_FOLDER).exists()


def test_malformed_configured_keys_name_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="JWT_PRIVATE_KEY"):
        keys.load(IdentitySettings(private_key_pem="nope"), data_dir=tmp_path, production=True)
    settings = IdentitySettings(additional_public_keys_pem="garbage-----END PUBLIC KEY-----")
    with pytest.raises(ConfigError, match="JWT_ADDITIONAL_PUBLIC_KEYS"):
        keys.load(settings, data_dir=tmp_path, production=False)


def test_rotation_keeps_the_old_key_until_its_tokens_expired(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    first = keys.rotate(folder, now=1_000)
    second = keys.rotate(folder, now=2_000)
    ring = keys.from_directory(folder, keep_seconds=900, now=2_500)
    assert ring.kid == second
    assert {keys.kid_of(k) for k in ring.additional} == {first}
    later = keys.from_directory(folder, keep_seconds=900, now=3_000)
    assert later.additional == ()
    assert len(list(folder.glob("*.pem"))) == 1


def test_thumbprint_kids_follow_rfc_7638() -> None:
    # RFC 8037 appendix A.3: the thumbprint of its example Ed25519 key.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    public = Ed25519PublicKey.from_public_bytes(
        bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    )
    assert keys.kid_of(public) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_the_rotate_command_adds_a_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert keys.main(["rotate", str(tmp_path)]) == 0
    assert "new signing key" in capsys.readouterr().out
    assert len(list((tmp_path / keys.KEY_FOLDER).glob("*.pem"))) == 1
