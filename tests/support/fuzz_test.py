"""One property test body shared by the subgraphs: any generated arguments, documented codes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.support.fuzz_client import post_graphql
from tests.support.input_fuzz import introspect, operations, undocumented_codes

FUZZ_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


async def check_one_example(
    client: httpx.AsyncClient, data: st.DataObject, callers: Sequence[dict[str, str]]
) -> None:
    """Draw one root field with arguments and a caller; the answer has documented codes only."""

    async def post(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        return await post_graphql(client, query, variables, {})

    schema = await introspect(post)
    name, query, variables = data.draw(operations(schema))
    headers = data.draw(st.sampled_from(list(callers)))
    body = await post_graphql(client, query, variables, headers)
    assert not undocumented_codes(body), (name, variables, body["errors"])
