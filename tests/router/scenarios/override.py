"""Override and inaccessible: a field moved between subgraphs; elements hidden from the API."""

from __future__ import annotations

from router.testing.subgraph import SubgraphSpec
from tests.router.scenarios import Operation, Scenario

LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: [{}])\n'

BLOG = (
    LINK.format('"@key", "@inaccessible"')
    + """
type Query {
  posts: [Post!]!
  internal: Internal @inaccessible
}
type Post @key(fields: "id") {
  id: ID!
  title: String!
  likes: Int!
  secret: String @inaccessible
}
type Internal @inaccessible {
  note: String
}
"""
)

SOCIAL = (
    LINK.format('"@key", "@override"')
    + """
type Post @key(fields: "id") {
  id: ID!
  likes: Int! @override(from: "blog")
  shares: Int!
}
"""
)

POSTS = [{"id": "1", "title": "Hello"}, {"id": "2", "title": "Again"}]
LIKES = {"1": 7, "2": 0}


def build() -> list[SubgraphSpec]:
    return [
        SubgraphSpec(
            "blog",
            BLOG,
            resolvers={
                # The overridden field answers wrongly, so a plan using it shows.
                "Query.posts": lambda _r, _i: [{**p, "likes": -1, "secret": "s"} for p in POSTS],
            },
            entities={
                "Post": lambda rep: next((dict(p) for p in POSTS if p["id"] == rep["id"]), None)
            },
        ),
        SubgraphSpec(
            "social",
            SOCIAL,
            entities={
                "Post": lambda rep: {"id": rep["id"], "likes": LIKES[rep["id"]], "shares": 1}
            },
        ),
    ]


SCENARIO = Scenario(
    name="override",
    build=build,
    operations=(
        Operation("{ posts { id title likes } }"),
        Operation("{ posts { likes shares } }"),
        Operation("{ posts { secret } }"),
    ),
)
