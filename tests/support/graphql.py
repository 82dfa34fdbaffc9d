"""A small GraphQL-over-HTTP client for end-to-end tests: what an app would send."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx


class GraphQLErrors(AssertionError):
    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(errors)
        self.errors = errors

    @property
    def codes(self) -> list[str]:
        return [str(e.get("extensions", {}).get("code")) for e in self.errors]


@dataclass
class GraphQLClient:
    url: str
    token: str | None = None
    timeout: float = 30.0

    def as_user(self, token: str) -> GraphQLClient:
        return GraphQLClient(self.url, token, self.timeout)

    async def execute(self, query: str, **variables: Any) -> dict[str, Any]:
        """The `data` of a successful response; raises GraphQLErrors otherwise."""
        headers = {"content-type": "application/json", "x-healthbook-csrf": "1"}
        if self.token:
            headers["authorization"] = f"Bearer {self.token}"
        async with httpx.AsyncClient(timeout=self.timeout) as http:
            response = await http.post(
                self.url, json={"query": query, "variables": variables}, headers=headers
            )
        body: dict[str, Any] = response.json()
        if body.get("errors"):
            raise GraphQLErrors(body["errors"])
        data: dict[str, Any] = body["data"]
        return data

    async def login(self, email: str, password: str) -> GraphQLClient:
        data = await self.execute(
            "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
            i={"email": email, "password": password},
        )
        return self.as_user(data["login"]["accessToken"])


REGISTER = "mutation($i: RegisterInput!) { register(input: $i) { user { id } } }"


async def register(anonymous: GraphQLClient, name: str, *, time_zone: str) -> GraphQLClient:
    """A new patient `name` in `time_zone`, signed in."""
    email, password = f"{uuid.uuid4().hex[:12]}@example.org", "waiting is an art"
    await anonymous.execute(
        REGISTER, i={"email": email, "password": password, "name": name, "timeZone": time_zone}
    )
    return await anonymous.login(email, password)


async def eventually(
    read: Callable[[], Awaitable[Any]], done: Callable[[Any], bool], attempts: int = 300
) -> Any:
    """Read until `done(answer)` (bounded: the event bus delivers within seconds)."""
    answer = await read()
    for _ in range(attempts):
        if done(answer):
            break
        await asyncio.sleep(0.1)
        answer = await read()
    return answer
