"""Channels follow the user's choice in their identity profile; SMS needs an opt-in and a phone."""

from __future__ import annotations

import pytest

from subgraphs.notifications.domain import Channel
from subgraphs.shared.database import Database
from tests.integration.notifications.scenario import Cast, envelope
from tests.integration.notifications.test_intake import apply, notifications


async def patient_channels(
    db: Database, *, channels: tuple[str, ...] | None, phone: str | None = "+15550001111"
) -> set[Channel]:
    cast = Cast()
    registered = cast.patient_registered(phone=phone)
    if channels is None:  # identity did not say (an older event): the defaults apply
        registered.payload.pop("notification_channels")
    else:
        registered.payload["notification_channels"] = list(channels)
    await apply(db, registered, *cast.setup_events()[1:])
    await apply(db, cast.appointment("AppointmentBooked"))
    return {r.channel for r in await notifications(db) if r.user_id == cast.patient_id}


@pytest.mark.parametrize(
    ("channels", "phone", "expected"),
    [
        (("EMAIL", "IN_APP"), "+15550001111", {Channel.EMAIL, Channel.IN_APP}),
        (None, "+15550001111", {Channel.EMAIL, Channel.IN_APP}),
        (("EMAIL", "SMS", "IN_APP"), "+15550001111", set(Channel)),
        (("EMAIL", "SMS", "IN_APP"), None, {Channel.EMAIL, Channel.IN_APP}),
        (("SMS",), "+15550001111", {Channel.SMS}),
        (("IN_APP",), "+15550001111", {Channel.IN_APP}),
        (("EMAIL",), "+15550001111", {Channel.EMAIL}),
        ((), "+15550001111", set()),
    ],
    ids=[
        "default-profile-no-sms",
        "unsaid-no-sms",
        "sms-opt-in-with-phone",
        "sms-opt-in-without-phone",
        "sms-only",
        "in-app-only",
        "email-only",
        "nothing",
    ],
)
async def test_each_channel_is_used_only_with_the_profiles_consent(
    db: Database, channels: tuple[str, ...] | None, phone: str | None, expected: set[Channel]
) -> None:
    assert await patient_channels(db, channels=channels, phone=phone) == expected


async def test_withdrawing_sms_in_the_profile_stops_sms(db: Database) -> None:
    cast = Cast()
    await apply(db, *cast.setup_events())
    payload = {**cast.patient_registered().payload, "notification_channels": ["EMAIL"]}
    await apply(db, envelope("UserProfileUpdated", payload, source="identity"))
    await apply(db, cast.appointment("AppointmentBooked"))
    assert {r.channel for r in await notifications(db) if r.user_id == cast.patient_id} == {
        Channel.EMAIL
    }


async def test_an_sms_opt_in_handled_before_the_registration_is_kept(db: Database) -> None:
    """Events of one user can be handled out of order: the registration (the oldest state)
    must not undo a profile update that arrived first."""
    cast = Cast()
    registered = cast.patient_registered(phone="+15550001111")
    registered.payload["notification_channels"] = ["EMAIL", "IN_APP"]
    opted_in = {**registered.payload, "notification_channels": ["EMAIL", "SMS", "IN_APP"]}
    await apply(db, envelope("UserProfileUpdated", opted_in, source="identity"))
    await apply(db, registered, *cast.setup_events()[1:])
    await apply(db, cast.appointment("AppointmentBooked"))
    mine = {r.channel for r in await notifications(db) if r.user_id == cast.patient_id}
    assert mine == set(Channel)
