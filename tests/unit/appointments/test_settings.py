from __future__ import annotations

from datetime import timedelta

import pytest

from subgraphs.appointments.settings import AppointmentsSettings
from subgraphs.shared.settings import ConfigError


def test_defaults_follow_the_documented_rules() -> None:
    settings = AppointmentsSettings.from_env({})
    assert settings.doctors_url == "http://127.0.0.1:4002/graphql"
    assert settings.cutoff == timedelta(hours=24)
    assert settings.max_reschedules == 3
    assert settings.require_confirmation is True


def test_a_deployment_can_auto_confirm_and_change_the_cutoff() -> None:
    settings = AppointmentsSettings.from_env(
        {"APPOINTMENTS_REQUIRE_CONFIRMATION": "false", "APPOINTMENTS_CUTOFF_HOURS": "12"}
    )
    assert settings.require_confirmation is False
    assert settings.cutoff == timedelta(hours=12)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DOCTORS_URL", "doctors:4002"),
        ("APPOINTMENTS_REQUIRE_CONFIRMATION", "maybe"),
        ("APPOINTMENTS_MAX_RESCHEDULES", "many"),
    ],
)
def test_malformed_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        AppointmentsSettings.from_env({name: value})
