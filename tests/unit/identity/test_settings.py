"""Identity's configuration variables."""

from __future__ import annotations

import pytest

from subgraphs.identity.settings import IdentitySettings
from subgraphs.shared.settings import ConfigError


def test_defaults() -> None:
    settings = IdentitySettings.from_env({})
    assert settings.access_token_ttl_seconds == 900
    assert settings.refresh_token_ttl_days == 30
    assert settings.login_max_failures_per_hour == 100
    assert settings.argon2_memory_kib >= 19 * 1024


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LOGIN_MAX_FAILURES_PER_HOUR", "1000"),
        ("ARGON2_MEMORY_KIB", "1024"),
        ("ARGON2_TIME_COST", "1"),
        ("ACCESS_TOKEN_TTL_SECONDS", "soon"),
    ],
)
def test_unsafe_or_malformed_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        IdentitySettings.from_env({name: value})


def test_the_first_admin_needs_email_and_password_together() -> None:
    with pytest.raises(ConfigError, match="HEALTHBOOK_ADMIN_PASSWORD"):
        IdentitySettings.from_env({"HEALTHBOOK_ADMIN_EMAIL": "root@example.org"})
    both = {"HEALTHBOOK_ADMIN_EMAIL": "root@example.org", "HEALTHBOOK_ADMIN_PASSWORD": "x" * 12}
    assert IdentitySettings.from_env(both).admin_email == "root@example.org"
