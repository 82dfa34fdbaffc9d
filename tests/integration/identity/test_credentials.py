"""Password change, forgotten-password reset, and secrets kept out of events and logs."""

from __future__ import annotations

import logging
from datetime import timedelta

import orjson
import pytest
from sqlalchemy import update

from subgraphs.identity.models import OneTimeToken
from subgraphs.shared import handoff
from tests.integration.identity.conftest import PASSWORD, Api

CHANGE = """mutation($i: ChangePasswordInput!) { changePassword(input: $i) {
  sessionsEnded user { id } } }"""
REQUEST = """mutation($e: String!) { requestPasswordReset(input: {email: $e}) { accepted } }"""
RESET = """mutation($t: String!, $p: String!) { resetPassword(input: {token: $t, newPassword: $p}) {
  user { id } } }"""
REFRESH = "mutation($t: String!) { refreshToken(input: {refreshToken: $t}) { accessToken } }"
ME = "{ me { id } }"
NEW = "a brand new secret"


async def test_changing_the_password_ends_the_other_sessions_only(api: Api) -> None:
    await api.register("ann@example.org")
    here, there = await api.login("ann@example.org"), await api.login("ann@example.org")
    changed = await api.ok(
        CHANGE, {"i": {"currentPassword": PASSWORD, "newPassword": NEW}}, token=here["accessToken"]
    )
    assert changed["changePassword"]["sessionsEnded"] == 1
    assert (await api.ok(ME, token=here["accessToken"]))["me"]
    assert (await api.gql(ME, token=there["accessToken"]))["errors"]
    assert (await api.gql(REFRESH, {"t": there["refreshToken"]}))["errors"]
    assert (await api.ok(REFRESH, {"t": here["refreshToken"]}))["refreshToken"]
    assert await api.login("ann@example.org", NEW)
    assert len(await api.outbox("PasswordChanged")) == 1


async def test_changing_the_password_can_keep_other_sessions(api: Api) -> None:
    await api.register("ann@example.org")
    here, there = await api.login("ann@example.org"), await api.login("ann@example.org")
    variables = {"i": {"currentPassword": PASSWORD, "newPassword": NEW, "endOtherSessions": False}}
    changed = await api.ok(CHANGE, variables, token=here["accessToken"])
    assert changed["changePassword"]["sessionsEnded"] == 0
    assert (await api.ok(ME, token=there["accessToken"]))["me"]


async def test_changing_the_password_needs_the_current_one(api: Api) -> None:
    await api.register("ann@example.org")
    token = (await api.login("ann@example.org"))["accessToken"]
    error = await api.error(
        CHANGE, {"i": {"currentPassword": "wrong one!", "newPassword": NEW}}, token=token
    )
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "currentPassword"}
    weak = await api.error(
        CHANGE, {"i": {"currentPassword": PASSWORD, "newPassword": "password1"}}, token=token
    )
    assert weak["extensions"] == {"code": "BAD_USER_INPUT", "field": "newPassword"}
    anonymous = await api.error(CHANGE, {"i": {"currentPassword": PASSWORD, "newPassword": NEW}})
    assert anonymous["extensions"]["code"] == "UNAUTHENTICATED"


async def _reset_secret(api: Api) -> str:
    (event,) = await api.outbox("PasswordResetRequested")
    secret = await handoff.reveal(api.ident.cache, event.payload["delivery_id"])
    assert secret is not None
    return secret


async def test_reset_requests_answer_the_same_whether_or_not_the_account_exists(
    api: Api,
) -> None:
    await api.register("ann@example.org")
    known = await api.gql(REQUEST, {"e": "Ann@example.org"})
    unknown = await api.gql(REQUEST, {"e": "nobody@example.org"})
    assert known == unknown == {"data": {"requestPasswordReset": {"accepted": True}}}
    (event,) = await api.outbox("PasswordResetRequested")
    assert set(event.payload) == {
        "user_id",
        "email",
        "name",
        "language",
        "time_zone",
        "delivery_id",
        "expires_at",
    }


async def test_a_reset_token_sets_a_new_password_once_and_ends_every_session(
    api: Api,
) -> None:
    await api.register("ann@example.org")
    session = await api.login("ann@example.org")
    await api.ok(REQUEST, {"e": "ann@example.org"})
    secret = await _reset_secret(api)
    assert (await api.ok(RESET, {"t": secret, "p": NEW}))["resetPassword"]["user"]["id"]
    again = await api.error(RESET, {"t": secret, "p": "another new secret"})
    assert again["extensions"]["code"] == "INVALID_TOKEN"
    assert (await api.gql(ME, token=session["accessToken"]))["errors"]
    assert (await api.gql(REFRESH, {"t": session["refreshToken"]}))["errors"]
    assert await api.login("ann@example.org", NEW)


async def test_a_newer_reset_request_voids_the_older_link(api: Api) -> None:
    await api.register("ann@example.org")
    await api.ok(REQUEST, {"e": "ann@example.org"})
    old = await _reset_secret(api)
    await api.ok(REQUEST, {"e": "ann@example.org"})
    error = await api.error(RESET, {"t": old, "p": NEW})
    assert error["extensions"]["code"] == "INVALID_TOKEN"


async def test_an_expired_reset_token_is_refused(api: Api) -> None:
    await api.register("ann@example.org")
    await api.ok(REQUEST, {"e": "ann@example.org"})
    secret = await _reset_secret(api)
    async with api.ident.db.transaction() as session:
        past = api.ident.clock() - timedelta(seconds=1)
        await session.exec(update(OneTimeToken).values(expires_at=past))
    error = await api.error(RESET, {"t": secret, "p": NEW})
    assert error["extensions"]["code"] == "INVALID_TOKEN"


async def test_a_weak_new_password_does_not_use_up_the_token(api: Api) -> None:
    await api.register("ann@example.org")
    await api.ok(REQUEST, {"e": "ann@example.org"})
    secret = await _reset_secret(api)
    assert (await api.error(RESET, {"t": secret, "p": "12345678"}))["extensions"]["code"] == (
        "BAD_USER_INPUT"
    )
    assert await api.ok(RESET, {"t": secret, "p": NEW})


async def test_secrets_never_reach_events_or_logs(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await api.register("ann@example.org")
    tokens = await api.login("ann@example.org")
    await api.ok(REFRESH, {"t": tokens["refreshToken"]})
    await api.ok(REQUEST, {"e": "ann@example.org"})
    secret = await _reset_secret(api)
    await api.ok(RESET, {"t": secret, "p": NEW})
    await api.gql(CHANGE, {"i": {"currentPassword": NEW, "newPassword": PASSWORD + "!"}})
    events = orjson.dumps([row.payload for row in await api.outbox()]).decode()
    # aiosqlite's DEBUG lines echo SQL parameters; configure_logging keeps it at WARNING.
    kept = [r for r in caplog.records if not r.name.startswith("aiosqlite")]
    logs = "\n".join(record.getMessage() + str(record.__dict__) for record in kept)
    for text in (events, logs):
        for forbidden in (PASSWORD, NEW, secret, tokens["refreshToken"], tokens["accessToken"]):
            assert forbidden not in text
        assert "$argon2" not in text
