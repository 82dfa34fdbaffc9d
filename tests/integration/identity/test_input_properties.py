"""Generated strings and datetimes in every argument get documented codes, never a crash."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.integration.identity.conftest import LOGIN, Api
from tests.support.fuzz_test import FUZZ_SETTINGS, check_one_example

REGISTER = "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }"


@FUZZ_SETTINGS
@given(data=st.data())
async def test_every_argument_answers_only_documented_codes(api: Api, data: st.DataObject) -> None:
    await check_one_example(api.http, data, [{}])


async def test_a_nul_byte_in_a_name_or_an_email_is_bad_user_input(api: Api) -> None:
    name = {"email": "nul@example.org", "password": "long enough pass 1", "name": "a\x00b"}
    assert (await api.error(REGISTER, {"i": name}))["extensions"]["code"] == "BAD_USER_INPUT"
    email = {"email": "a\x00@example.org", "password": "long enough pass 1"}
    assert (await api.error(LOGIN, {"i": email}))["extensions"]["code"] == "BAD_USER_INPUT"
