"""A waitlist offer (appointments' `WaitlistOfferMade`) reaches its patient by their channels,
once, with the end of the hold; an SMS names only the date, time and clinic."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlmodel import col, select

from subgraphs.appointments.events import WaitlistOfferMade
from subgraphs.notifications.domain import Channel
from subgraphs.notifications.models import Notification
from subgraphs.notifications.service import intake
from subgraphs.shared.database import Database
from subgraphs.shared.events import EventEnvelope
from tests.integration.notifications.conftest import CONFIG
from tests.integration.notifications.scenario import NOW, Cast


def offer_made(cast: Cast) -> EventEnvelope:
    """The event as the appointments subgraph publishes it (its own class: the contract)."""
    return WaitlistOfferMade(
        occurred_at=NOW,
        offer_id=uuid.uuid4(),
        entry_id=uuid.uuid4(),
        patient_id=cast.patient_id,
        doctor_id=cast.doctor_id,
        start=cast.start,
        end=cast.start + timedelta(minutes=30),
        time_zone="Europe/Berlin",
        expires_at=NOW + timedelta(minutes=15),
    ).envelope(source="appointments")


async def apply(db: Database, *events: EventEnvelope) -> int:
    planned = 0
    for event in events:
        planned += len(
            await intake.apply_event(
                db=db, envelope=event, now=NOW, config=CONFIG, enqueue_soon=True
            )
        )
    return planned


async def offers(db: Database) -> dict[Channel, Notification]:
    async with db.session() as session:
        rows = await session.exec(
            select(Notification).where(col(Notification.template) == "waitlist_offer")
        )
        return {row.channel: row for row in rows.all()}


async def test_the_offer_reaches_the_patient_once_on_each_channel(db: Database) -> None:
    cast = Cast()
    await apply(db, *cast.setup_events())
    event = offer_made(cast)
    assert await apply(db, event, event) == 3  # redelivered: planned once
    sent = await offers(db)
    assert set(sent) == {Channel.EMAIL, Channel.SMS, Channel.IN_APP}
    assert {row.user_id for row in sent.values()} == {cast.patient_id}  # not the doctor
    email = sent[Channel.EMAIL]
    assert email.recipient == "pat@example.test"
    assert email.subject == "A slot is free for you: Thu 4 Mar 2027 at 10:00 CET"
    assert "Dr. Dana Who" in email.body
    assert "held for you until Mon 1 Mar 2027 10:15 CET" in email.body  # the day it ends
    assert "Hauptstr. 1, Berlin" in email.body
    sms = sent[Channel.SMS]
    assert sms.recipient == "+15550001111"
    assert "Thu 4 Mar 2027 at 10:00 CET, Hauptstr. 1, Berlin" in sms.body
    assert "Dana" not in sms.body
    assert "Pat" not in sms.body
    assert sent[Channel.IN_APP].body == (
        "With Dr. Dana Who on Thu 4 Mar 2027 at 10:00 CET, held for you until "
        "Mon 1 Mar 2027 10:15 CET."
    )


async def test_an_offer_to_a_patient_not_yet_known_waits_for_their_details(
    db: Database,
) -> None:
    cast = Cast()
    await apply(db, cast.doctor_registered(), cast.doctor_event("DoctorRegistered"))
    assert await apply(db, offer_made(cast)) == 0
    assert await offers(db) == {}
    assert await apply(db, cast.patient_registered(channels=("EMAIL",))) == 1
    assert set(await offers(db)) == {Channel.EMAIL}


async def test_a_hold_ending_on_the_slot_s_day_says_only_the_time(db: Database) -> None:
    cast = Cast(start=NOW + timedelta(hours=2))
    await apply(db, *cast.setup_events(), offer_made(cast))
    email = (await offers(db))[Channel.EMAIL]
    assert "held for you until 10:15 CET:" in email.body
