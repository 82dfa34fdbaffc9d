"""Shareable: root and entity fields resolvable in two subgraphs; the planner picks the cheaper."""

from __future__ import annotations

from router.testing.subgraph import SubgraphSpec
from tests.router.scenarios import Operation, Scenario

LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: [{}])\n'

LIBRARY = (
    LINK.format('"@key", "@shareable"')
    + """
type Query {
  books: [Book!]! @shareable
}
type Book @key(fields: "id") {
  id: ID!
  title: String! @shareable
  isbn: String!
}
"""
)

SHELF = (
    LINK.format('"@key", "@shareable"')
    + """
type Query {
  books: [Book!]! @shareable
}
type Book @key(fields: "id") {
  id: ID!
  title: String! @shareable
  shelf: String!
}
"""
)

BOOKS = [
    {"id": "1", "title": "Dune", "isbn": "isbn-1", "shelf": "A3"},
    {"id": "2", "title": "Emma", "isbn": "isbn-2", "shelf": "B1"},
]


def build() -> list[SubgraphSpec]:
    def find(rep: dict[str, str]) -> dict[str, str] | None:
        return next((dict(b) for b in BOOKS if b["id"] == rep["id"]), None)

    return [
        SubgraphSpec(
            "library",
            LIBRARY,
            resolvers={"Query.books": lambda _r, _i: [dict(b) for b in BOOKS]},
            entities={"Book": find},
        ),
        SubgraphSpec(
            "shelf",
            SHELF,
            resolvers={"Query.books": lambda _r, _i: [dict(b) for b in BOOKS]},
            entities={"Book": find},
        ),
    ]


SCENARIO = Scenario(
    name="shareable",
    build=build,
    operations=(
        Operation("{ books { title isbn } }"),
        Operation("{ books { title shelf } }"),
        Operation("{ books { id isbn shelf } }"),
    ),
)
