"""Generated strings and datetimes in every argument get documented codes, never a crash."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from subgraphs.shared.auth import Role
from tests.integration.doctors.helpers import Api, error_code
from tests.support.fuzz_test import FUZZ_SETTINGS, check_one_example
from tests.support.tokens import bearer


@FUZZ_SETTINGS
@given(data=st.data())
async def test_every_argument_answers_only_documented_codes(api: Api, data: st.DataObject) -> None:
    callers: list[dict[str, str]] = [{}] + [
        bearer(api.mint(uuid.uuid4(), r)) for r in (Role.DOCTOR, Role.ADMIN)
    ]
    await check_one_example(api.http, data, callers)


async def test_a_nul_byte_in_the_search_text_is_bad_user_input(api: Api) -> None:
    query = "query($f: DoctorFilter) { doctors(filter: $f) { __typename } }"
    result = await api.call(query, {"f": {"text": "car\x00dio"}})
    assert error_code(result) == "BAD_USER_INPUT"
