"""Generated strings and datetimes in every argument get documented codes, never a crash."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from subgraphs.appointments.domain import Actor
from subgraphs.shared.auth import Role
from tests.integration.appointments.api import Api
from tests.support.fuzz_test import FUZZ_SETTINGS, check_one_example
from tests.support.tokens import bearer

ACTORS = [Actor(uuid.uuid4(), role) for role in (Role.PATIENT, Role.DOCTOR, Role.ADMIN)]


@FUZZ_SETTINGS
@given(data=st.data())
async def test_every_argument_answers_only_documented_codes(api: Api, data: st.DataObject) -> None:
    callers: list[dict[str, str]] = [{}] + [bearer(api.mint(a.user_id, a.role)) for a in ACTORS]
    await check_one_example(api.client, data, callers)


BOOK = "mutation($input: BookAppointmentInput!) { bookAppointment(input: $input) { id } }"


async def test_a_start_whose_utc_time_overflows_is_bad_user_input(api: Api) -> None:
    for start in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"):
        variables = {
            "input": {"doctorId": str(uuid.uuid4()), "start": start, "idempotencyKey": "k"}
        }
        assert await api.error_code(BOOK, variables, as_=ACTORS[0]) == "BAD_USER_INPUT"


async def test_a_control_character_in_a_literal_is_bad_user_input(api: Api) -> None:
    doctor = uuid.uuid4()
    query = (
        f'mutation {{ bookAppointment(input: {{doctorId: "{doctor}", '
        'start: "2030-01-01T10:00:00Z", reason: "a\\u0000b", idempotencyKey: "k"}) { id } }'
    )
    assert await api.error_code(query, as_=ACTORS[0]) == "BAD_USER_INPUT"
