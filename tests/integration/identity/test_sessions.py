"""Sign-in, refresh rotation with reuse detection, sign-out, through the GraphQL API."""

from __future__ import annotations

from sqlmodel import select

from subgraphs.identity.credentials.passwords import hash_password
from subgraphs.identity.models import User
from tests.integration.identity.conftest import PASSWORD, Api

LOGIN_ERROR = "mutation($i: LoginInput!) { login(input: $i) { accessToken } }"
REFRESH = """mutation($t: String!) { refreshToken(input: {refreshToken: $t}) {
  accessToken refreshToken user { id } } }"""
LOGOUT = "mutation($i: LogoutInput) { logout(input: $i) { sessionsEnded } }"
ME = "{ me { id role } }"


async def test_login_gives_tokens_that_open_me(api: Api) -> None:
    user = await api.register("ann@example.org")
    tokens = await api.login("ann@example.org")
    assert tokens["tokenType"] == "Bearer"
    assert tokens["user"] == {"id": user["id"], "role": "PATIENT"}
    me = await api.ok(ME, token=tokens["accessToken"])
    assert me["me"]["id"] == user["id"]


async def test_login_failures_look_the_same_for_unknown_and_known_accounts(api: Api) -> None:
    await api.register("ann@example.org")
    wrong = await api.error(LOGIN_ERROR, {"i": {"email": "ann@example.org", "password": "nope"}})
    unknown = await api.error(LOGIN_ERROR, {"i": {"email": "zed@example.org", "password": "n"}})
    malformed = await api.error(LOGIN_ERROR, {"i": {"email": "zed", "password": "n"}})
    assert wrong["message"] == unknown["message"] == malformed["message"]
    assert wrong["extensions"] == unknown["extensions"] == {"code": "UNAUTHENTICATED"}


async def test_refresh_rotates_and_a_replay_ends_the_whole_session(api: Api) -> None:
    await api.register("ann@example.org")
    first = await api.login("ann@example.org")
    second = (await api.ok(REFRESH, {"t": first["refreshToken"]}))["refreshToken"]
    assert second["refreshToken"] != first["refreshToken"]
    assert (await api.ok(ME, token=second["accessToken"]))["me"]
    replay = await api.error(REFRESH, {"t": first["refreshToken"]})
    assert replay["extensions"]["code"] == "INVALID_TOKEN"
    # The family is revoked: the newest refresh token and its access token stop working too.
    assert (await api.error(REFRESH, {"t": second["refreshToken"]}))["extensions"]["code"] == (
        "INVALID_TOKEN"
    )
    for token in (first["accessToken"], second["accessToken"]):
        assert (await api.error(ME, token=token))["extensions"]["code"] == "UNAUTHENTICATED"


async def test_refresh_tokens_of_other_sessions_keep_working_after_a_replay(api: Api) -> None:
    await api.register("ann@example.org")
    phone, laptop = await api.login("ann@example.org"), await api.login("ann@example.org")
    await api.ok(REFRESH, {"t": phone["refreshToken"]})
    await api.error(REFRESH, {"t": phone["refreshToken"]})
    assert (await api.ok(REFRESH, {"t": laptop["refreshToken"]}))["refreshToken"]


async def test_unknown_refresh_tokens_are_refused(api: Api) -> None:
    error = await api.error(REFRESH, {"t": "made-up"})
    assert error["extensions"]["code"] == "INVALID_TOKEN"


async def test_logout_ends_this_session_only(api: Api) -> None:
    await api.register("ann@example.org")
    phone, laptop = await api.login("ann@example.org"), await api.login("ann@example.org")
    ended = await api.ok(LOGOUT, {}, token=phone["accessToken"])
    assert ended["logout"]["sessionsEnded"] == 1
    assert (await api.error(ME, token=phone["accessToken"]))["extensions"]["code"] == (
        "UNAUTHENTICATED"
    )
    assert (await api.error(REFRESH, {"t": phone["refreshToken"]}))["extensions"]["code"] == (
        "INVALID_TOKEN"
    )
    assert (await api.ok(ME, token=laptop["accessToken"]))["me"]


async def test_logout_everywhere_and_by_refresh_token(api: Api) -> None:
    await api.register("ann@example.org")
    one, two, three = [await api.login("ann@example.org") for _ in range(3)]
    by_refresh = await api.ok(LOGOUT, {"i": {"refreshToken": one["refreshToken"]}})
    assert by_refresh["logout"]["sessionsEnded"] == 1
    everywhere = await api.ok(LOGOUT, {"i": {"allSessions": True}}, token=two["accessToken"])
    assert everywhere["logout"]["sessionsEnded"] == 2
    for tokens in (one, two, three):
        assert (await api.gql(ME, token=tokens["accessToken"]))["errors"]


async def test_logout_needs_credentials(api: Api) -> None:
    error = await api.error(LOGOUT, {})
    assert error["extensions"]["code"] == "UNAUTHENTICATED"


async def test_login_rehashes_a_password_made_with_old_parameters(api: Api) -> None:
    await api.register("ann@example.org")
    from argon2 import PasswordHasher

    old = PasswordHasher(time_cost=1, memory_cost=16, parallelism=1)
    async with api.ident.db.transaction() as session:
        user = (await session.exec(select(User))).one()
        user.password_hash = hash_password(PASSWORD, old)
        session.add(user)
    await api.login("ann@example.org")
    async with api.ident.db.session() as session:
        user = (await session.exec(select(User))).one()
    assert user.password_hash is not None
    assert not api.ident.hasher.check_needs_rehash(user.password_hash)
