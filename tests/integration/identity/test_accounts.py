"""Registration, profiles and the User entity, through the GraphQL API."""

from __future__ import annotations

import orjson

from tests.integration.identity.conftest import PASSWORD, Api

ME = """{ me { id name role email phone dateOfBirth city language timeZone
  notificationChannels active createdAt } }"""
UPDATE = """mutation($i: UpdateProfileInput!) { updateProfile(input: $i) {
  user { name phone dateOfBirth city language timeZone notificationChannels } } }"""
ENTITIES = """query($r: [_Any!]!) { _entities(representations: $r) {
  ... on User { id name role email } } }"""


async def test_patient_registers_with_a_normalised_email_and_is_announced(api: Api) -> None:
    user = await api.register("  Ann@Example.ORG ", name=" Ann   Lee ")
    assert user["role"] == "PATIENT"
    assert user["name"] == "Ann Lee"
    (event,) = await api.outbox("UserRegistered")
    assert event.payload["email"] == "ann@example.org"
    assert event.payload["role"] == "PATIENT"
    assert event.payload["user_id"] == user["id"]
    assert {"phone", "language", "time_zone"} <= event.payload.keys()
    tokens = await api.login("ANN@example.org")
    me = (await api.ok(ME, token=tokens["accessToken"]))["me"]
    assert me["email"] == "ann@example.org"
    assert me["language"] == "en"
    assert me["notificationChannels"] == ["EMAIL", "IN_APP"]


async def test_email_addresses_are_unique_whatever_their_case(api: Api) -> None:
    await api.register("bo@example.org")
    error = await api.error(
        "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }",
        {"i": {"email": "BO@example.org", "password": PASSWORD, "name": "Bo"}},
    )
    assert error["extensions"]["code"] == "CONFLICT"


async def test_passwords_outside_the_rules_are_refused(api: Api) -> None:
    for password in ("short", "x" * 129, "password123", "iloveyou", "Baseball1"[:8]):
        error = await api.error(
            "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }",
            {"i": {"email": "cy@example.org", "password": password, "name": "Cy"}},
        )
        assert error["extensions"]["code"] == "BAD_USER_INPUT", password
        assert error["extensions"]["field"] == "password"


async def test_long_passwords_are_not_truncated(api: Api) -> None:
    password = "p" * 60 + "q" * 68
    await api.register("di@example.org", password)
    assert (await api.login("di@example.org", password))["accessToken"]
    error = await api.error(
        "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
        {"i": {"email": "di@example.org", "password": password[:-1]}},
    )
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_doctor_registers_themselves_and_the_event_says_doctor(api: Api) -> None:
    user = await api.register("dr.eve@example.org", role="DOCTOR", timeZone="Europe/Lisbon")
    assert user["role"] == "DOCTOR"
    (event,) = await api.outbox("UserRegistered")
    assert event.payload["role"] == "DOCTOR"
    assert event.payload["time_zone"] == "Europe/Lisbon"


async def test_nobody_registers_as_admin(api: Api) -> None:
    error = await api.error(
        "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }",
        {"i": {"email": "x@example.org", "password": PASSWORD, "name": "X", "role": "ADMIN"}},
    )
    assert error["extensions"]["code"] == "BAD_USER_INPUT"


async def test_me_needs_a_signed_in_caller(api: Api) -> None:
    error = await api.error(ME)
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_profile_changes_only_the_given_fields_and_is_announced(api: Api) -> None:
    await api.register("fay@example.org")
    token = (await api.login("fay@example.org"))["accessToken"]
    changes = {
        "phone": "+49 30 1234567",
        "city": "Berlin",
        "dateOfBirth": "1990-04-01",
        "language": "de",
        "timeZone": "Europe/Berlin",
        "notificationChannels": ["SMS", "EMAIL"],
    }
    user = (await api.ok(UPDATE, {"i": changes}, token=token))["updateProfile"]["user"]
    assert user == {
        "name": "Ann",
        "phone": "+49301234567",
        "city": "Berlin",
        "dateOfBirth": "1990-04-01",
        "language": "de",
        "timeZone": "Europe/Berlin",
        "notificationChannels": ["EMAIL", "SMS"],
    }
    cleared = await api.ok(UPDATE, {"i": {"city": None}}, token=token)
    assert cleared["updateProfile"]["user"]["city"] is None
    assert cleared["updateProfile"]["user"]["phone"] == "+49301234567"
    events = await api.outbox("UserProfileUpdated")
    assert len(events) == 2
    assert events[-1].payload["notification_channels"] == ["EMAIL", "SMS"]


async def test_invalid_profile_values_are_refused(api: Api) -> None:
    await api.register("gus@example.org")
    token = (await api.login("gus@example.org"))["accessToken"]
    for changes, field in (
        ({"timeZone": "Mars/Olympus"}, "timeZone"),
        ({"language": "English!"}, "language"),
        ({"phone": "call me"}, "phone"),
        ({"dateOfBirth": "2999-01-01"}, "dateOfBirth"),
        ({"notificationChannels": ["SMS"]}, "notificationChannels"),
        ({"name": "  "}, "name"),
    ):
        error = await api.error(UPDATE, {"i": changes}, token=token)
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


async def test_user_entities_resolve_by_id_with_private_fields_for_owner_only(api: Api) -> None:
    ann = await api.register("ann@example.org", name="Ann")
    bob = await api.register("bob@example.org", name="Bob")
    token = (await api.login("ann@example.org"))["accessToken"]
    missing = "00000000-0000-4000-8000-000000000000"
    reps = [{"__typename": "User", "id": i} for i in (bob["id"], missing, ann["id"])]
    body = await api.gql(ENTITIES.replace(" email", ""), {"r": reps}, token=token)
    assert body["data"]["_entities"] == [
        {"id": bob["id"], "name": "Bob", "role": "PATIENT"},
        None,
        {"id": ann["id"], "name": "Ann", "role": "PATIENT"},
    ]
    own = await api.gql(ENTITIES, {"r": [reps[2]]}, token=token)
    assert own["data"]["_entities"][0]["email"] == "ann@example.org"
    other = await api.gql(ENTITIES, {"r": [reps[0]]}, token=token)
    assert other["data"]["_entities"][0]["email"] is None
    assert other["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_no_password_or_hash_is_in_any_event(api: Api) -> None:
    await api.register("hal@example.org")
    await api.login("hal@example.org")
    text = orjson.dumps([row.payload for row in await api.outbox()]).decode()
    assert PASSWORD not in text
    assert "$argon2" not in text
