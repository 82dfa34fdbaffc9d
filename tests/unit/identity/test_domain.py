"""Identity's rules: emails, passwords, profile values."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from subgraphs.identity import domain
from subgraphs.identity.credentials.passwords import common_passwords, is_common
from subgraphs.identity.domain import Channel
from subgraphs.shared.auth import Role
from subgraphs.shared.errors import BadUserInput, Forbidden


def test_emails_are_normalised_to_lower_case() -> None:
    assert domain.normalize_email("  Ann.Lee@Example.ORG ") == "ann.lee@example.org"
    with pytest.raises(BadUserInput):
        domain.normalize_email("not an email")


def test_login_keys_exist_even_for_malformed_addresses() -> None:
    assert domain.login_key("ANN@example.org") == "ann@example.org"
    assert domain.login_key("  Weird ") == "weird"


@pytest.mark.parametrize("password", ["x" * 7, "y" * 129, "password", "qwertyuiop", "PASSWORD1"])
def test_refused_passwords(password: str) -> None:
    with pytest.raises(BadUserInput):
        domain.check_password(password)


def test_password_equal_to_the_email_is_refused() -> None:
    with pytest.raises(BadUserInput):
        domain.check_password("ann.lee@example.org", email="ann.lee@example.org")


@pytest.mark.parametrize("password", ["x" * 8 + "!", "z" * 128, "healthbook-demo"])
def test_accepted_passwords(password: str) -> None:
    domain.check_password(password)


def test_the_common_password_list_ships_thousands_of_entries() -> None:
    assert len(common_passwords()) >= 4000
    assert is_common("Password")  # compared lower-cased
    assert not is_common("correct horse battery")
    assert is_common("sunshine")


def test_phone_numbers_are_compacted() -> None:
    assert domain.check_phone(" +49 (30) 123-4567 ") == "+49301234567"
    assert domain.check_phone("") is None
    with pytest.raises(BadUserInput):
        domain.check_phone("12")


def test_languages_and_time_zones() -> None:
    assert domain.check_language("pt-BR") == "pt-BR"
    assert domain.check_time_zone("America/Sao_Paulo") == "America/Sao_Paulo"
    assert domain.check_time_zone("UTC") == "UTC"
    for bad in ("Portuguese", "p"):
        with pytest.raises(BadUserInput):
            domain.check_language(bad)
    for zone in ("Nowhere/Town", "../../etc/passwd", ""):
        with pytest.raises(BadUserInput):
            domain.check_time_zone(zone)


def test_dates_of_birth_lie_in_the_past() -> None:
    today = date(2026, 11, 24)
    assert domain.check_date_of_birth(date(1990, 1, 1), today=today) == date(1990, 1, 1)
    for bad in (today, date(2030, 1, 1), date(1850, 1, 1)):
        with pytest.raises(BadUserInput):
            domain.check_date_of_birth(bad, today=today)


def test_channels_keep_a_fixed_order_and_sms_needs_a_phone() -> None:
    chosen = domain.check_channels([Channel.SMS, Channel.EMAIL, Channel.SMS], phone="+4930123")
    assert chosen == [Channel.EMAIL, Channel.SMS]
    with pytest.raises(BadUserInput):
        domain.check_channels([Channel.SMS], phone=None)


def test_only_patients_and_doctors_register_themselves() -> None:
    assert domain.check_self_service_role(Role.DOCTOR) is Role.DOCTOR
    with pytest.raises(BadUserInput):
        domain.check_self_service_role(Role.ADMIN)


def test_admins_cannot_act_on_themselves() -> None:
    me = uuid.uuid4()
    with pytest.raises(Forbidden):
        domain.ensure_not_self(me, me, action="deactivate")
    domain.ensure_not_self(me, uuid.uuid4(), action="deactivate")
