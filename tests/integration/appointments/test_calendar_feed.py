"""Calendar feeds through the subgraph's API: own address, rotation revokes, tokens isolate."""

from __future__ import annotations

import uuid
from typing import Any

from subgraphs.appointments.domain import Actor
from subgraphs.shared.auth import Role
from tests.integration.appointments.api import Api
from tests.integration.appointments.support import FakeAvailability, at, patient

URL = "{ calendarFeedUrl }"
ROTATE = "mutation { rotateCalendarFeed }"
FEED = """query($token: String!) {
  calendarFeed(token: $token) {
    entries { id start end status timeZone updatedAt role doctor { id } }
  }
}"""


def token_of(url: str) -> str:
    assert url.startswith("http://127.0.0.1:4000/calendar/")
    assert url.endswith(".ics")
    return url.removeprefix("http://127.0.0.1:4000/calendar/").removesuffix(".ics")


async def feed(api: Api, url: str) -> list[dict[str, Any]] | None:
    found = (await api.data(FEED, {"token": token_of(url)}))["calendarFeed"]
    return None if found is None else list(found["entries"])


async def test_a_patient_s_feed_holds_their_appointments_and_nothing_free_text(
    api: Api, availability: FakeAvailability
) -> None:
    doctor, who = availability.add(), patient()
    first = await api.book(who, doctor, at(2, 9).isoformat(), key="a")
    second = await api.book(who, doctor, at(3, 9).isoformat(), key="b")
    await api.data(
        'mutation($id: ID!) { cancelAppointment(input: {id: $id, reason: "Feeling better"}) '
        "{ id } }",
        {"id": second},
        as_=who,
    )
    url = (await api.data(URL, as_=who))["calendarFeedUrl"]
    assert url == (await api.data(URL, as_=who))["calendarFeedUrl"], "stable until rotated"
    entries = await feed(api, url)
    assert entries is not None
    assert [(e["id"], e["status"], e["role"]) for e in entries] == [
        (first, "PENDING", "PATIENT"),
        (second, "CANCELLED", "PATIENT"),
    ]
    assert entries[0]["doctor"] == {"id": str(doctor)}
    assert entries[0]["timeZone"] == "Europe/Lisbon"
    assert "Persistent cough" not in str(entries)
    assert "Feeling better" not in str(entries)


async def test_a_doctor_s_feed_holds_their_visits_as_the_doctor(
    api: Api, availability: FakeAvailability
) -> None:
    doctor = availability.add()
    booked = await api.book(patient(), doctor, at(2, 9).isoformat())
    url = (await api.data(URL, as_=availability.user_of(doctor)))["calendarFeedUrl"]
    entries = await feed(api, url)
    assert [(e["id"], e["role"]) for e in entries or []] == [(booked, "DOCTOR")]


async def test_rotating_revokes_the_old_address_and_the_new_one_works(
    api: Api, availability: FakeAvailability
) -> None:
    doctor, who = availability.add(), patient()
    booked = await api.book(who, doctor, at(2, 9).isoformat())
    old = (await api.data(URL, as_=who))["calendarFeedUrl"]
    new = (await api.data(ROTATE, as_=who))["rotateCalendarFeed"]
    assert new != old
    assert await feed(api, old) is None
    assert [e["id"] for e in await feed(api, new) or []] == [booked]
    assert (await api.data(URL, as_=who))["calendarFeedUrl"] == new
    newer = (await api.data(ROTATE, as_=who))["rotateCalendarFeed"]
    assert await feed(api, new) is None
    assert await feed(api, newer) == await feed(api, newer)


async def test_another_user_s_token_never_yields_your_appointments(
    api: Api, availability: FakeAvailability
) -> None:
    doctor, mine, theirs = availability.add(), patient(), patient()
    own = await api.book(mine, doctor, at(2, 9).isoformat())
    other = await api.book(theirs, doctor, at(2, 10).isoformat())
    their_url = (await api.data(URL, as_=theirs))["calendarFeedUrl"]
    assert [e["id"] for e in await feed(api, their_url) or []] == [other]
    await api.data(ROTATE, as_=mine)  # my rotation changes nothing for them
    assert [e["id"] for e in await feed(api, their_url) or []] == [other]
    assert own not in str(await feed(api, their_url))
    forged = token_of(their_url)[:-2] + ("AA" if not their_url.endswith("AA.ics") else "BB")
    assert (await api.data(FEED, {"token": forged}))["calendarFeed"] is None
    assert (await api.data(FEED, {"token": "not a token"}))["calendarFeed"] is None


async def test_only_signed_in_patients_and_doctors_have_a_feed(api: Api) -> None:
    admin = Actor(uuid.uuid4(), Role.ADMIN)
    assert await api.error_code(URL, as_=admin) == "FORBIDDEN"
    assert await api.error_code(ROTATE, as_=admin) == "FORBIDDEN"
    assert await api.error_code(URL) == "UNAUTHENTICATED"
    assert await api.error_code(ROTATE) == "UNAUTHENTICATED"
