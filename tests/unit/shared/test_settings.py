from __future__ import annotations

import pytest

from subgraphs.shared.settings import VARIABLES, ConfigError, Settings


def test_defaults_give_the_embedded_mode(tmp_path: object) -> None:
    settings = Settings.from_env({"HEALTHBOOK_DATA_DIR": "/tmp/hb-data"})
    assert settings.env == "development"
    assert settings.broker_url == ""
    assert settings.redis_url == ""
    assert settings.ports["router"] == 4000
    assert settings.ports["notifications"] == 4004
    assert settings.database_urls["doctors"] == "sqlite+aiosqlite:////tmp/hb-data/doctors.sqlite3"


def test_malformed_number_is_refused_naming_the_variable() -> None:
    with pytest.raises(ConfigError, match="IDENTITY_PORT must be a whole number"):
        Settings.from_env({"IDENTITY_PORT": "forty"})


def test_port_out_of_range_is_refused() -> None:
    with pytest.raises(ConfigError, match="ROUTER_PORT must be between 1 and 65535"):
        Settings.from_env({"ROUTER_PORT": "70000"})


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ConfigError, match="HEALTHBOOK_ENV must be one of"):
        Settings.from_env({"HEALTHBOOK_ENV": "staging"})


def test_production_requires_broker_cache_and_signing_key() -> None:
    with pytest.raises(ConfigError, match="BROKER_URL is required"):
        Settings.from_env({"HEALTHBOOK_ENV": "production"})


def test_production_refuses_the_sqlite_fallback() -> None:
    settings = Settings.from_env(
        {
            "HEALTHBOOK_ENV": "production",
            "BROKER_URL": "amqp://guest:guest@127.0.0.1:5672/",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "HEALTHBOOK_SIGNING_KEY": "k" * 32,
        }
    )
    with pytest.raises(ConfigError, match="DOCTORS_DATABASE_URL is required in production"):
        settings.require_database("doctors")


def test_broker_url_must_be_amqp() -> None:
    with pytest.raises(ConfigError, match="BROKER_URL must be an amqp"):
        Settings.from_env({"BROKER_URL": "redis://127.0.0.1"})


def test_every_variable_is_documented() -> None:
    names = [variable.name for variable in VARIABLES]
    assert len(names) == len(set(names))
    assert all(variable.help for variable in VARIABLES)
