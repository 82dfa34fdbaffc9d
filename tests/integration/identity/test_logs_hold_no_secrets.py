"""The error paths of the identity API leave no hash, token or email in any log line."""

from __future__ import annotations

import asyncio
import logging
import re

import pytest

from subgraphs.shared.logs import JsonFormatter, logger_levels
from tests.integration.identity.conftest import LOGIN, Api

REGISTER = "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }"
REFRESH = "mutation($i: RefreshTokenInput!) { refreshToken(input: $i) { accessToken } }"
RESET = "mutation($i: ResetPasswordInput!) { resetPassword(input: $i) { ok } }"
SECRET_SHAPES = (
    re.compile(r"\$argon2"),
    re.compile(r"\beyJ[A-Za-z0-9_-]{5,}"),
    re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}"),
)


async def _error_paths(api: Api) -> list[str]:
    """Runs requests that fail in the store, in the domain and in token checks."""
    email = "leak-check@example.org"
    secrets = [email]
    await api.register(email)
    tokens = await api.login(email)
    secrets += [tokens["accessToken"], tokens["refreshToken"]]
    await api.gql(
        REGISTER,
        {"i": {"email": "nul@example.org", "password": "x" * 12 + "Aa1!", "name": "a\x00b"}},
    )
    await asyncio.gather(
        *(
            api.gql(
                REGISTER,
                {
                    "i": {
                        "email": "race@example.org",
                        "password": "long enough pass 1",
                        "name": "Racer",
                    }
                },
            )
            for _ in range(4)
        )
    )
    await api.gql(LOGIN, {"i": {"email": email, "password": "wrong password here"}})
    await api.gql(LOGIN, {"i": {"email": "a\x00@example.org", "password": "whatever it is"}})
    await api.gql(REFRESH, {"i": {"refreshToken": tokens["refreshToken"]}})
    await api.gql(REFRESH, {"i": {"refreshToken": tokens["refreshToken"]}})  # reuse
    await api.gql(REFRESH, {"i": {"refreshToken": tokens["refreshToken"] + "\x00"}})
    await api.gql(RESET, {"i": {"token": tokens["accessToken"], "newPassword": "a new password"}})
    return secrets


async def test_error_paths_log_no_hash_token_or_email(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    for name, level in logger_levels("DEBUG").items():  # as configure_logging sets them
        caplog.set_level(level, logger=name)
    with caplog.at_level(logging.DEBUG):
        secrets = await _error_paths(api)
    formatter = JsonFormatter("identity")
    lines = [formatter.format(record) for record in caplog.records]
    assert lines, "the error paths logged nothing: the check would prove nothing"
    for line in lines:
        for shape in SECRET_SHAPES:
            assert not shape.search(line), line
        for secret in secrets:
            assert secret not in line, line


async def test_concurrent_registrations_of_one_address_get_one_account_and_conflicts(
    api: Api,
) -> None:
    variables = {"i": {"email": "twice@example.org", "password": "long enough pass 1", "name": "T"}}
    bodies = await asyncio.gather(*(api.gql(REGISTER, variables) for _ in range(6)))
    codes = sorted(b["errors"][0]["extensions"]["code"] for b in bodies if b.get("errors"))
    assert len(codes) == 5
    assert set(codes) == {"CONFLICT"}
