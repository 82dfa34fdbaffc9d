"""Posts a GraphQL request as JSON that may carry lone surrogates (escaped, as JSON allows)."""

from __future__ import annotations

import json
from typing import Any

import httpx


async def post_graphql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], headers: dict[str, str]
) -> dict[str, Any]:
    content = json.dumps({"query": query, "variables": variables}, ensure_ascii=True)
    response = await client.post(
        "/graphql", content=content, headers={"content-type": "application/json", **headers}
    )
    assert response.status_code < 500, response.text
    body: dict[str, Any] = response.json()
    return body
