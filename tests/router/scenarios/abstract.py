"""Abstract types: an interface and a union whose members live in different subgraphs."""

from __future__ import annotations

from typing import Any

from router.testing.subgraph import SubgraphSpec
from tests.router.scenarios import Operation, Scenario

LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: [{}])\n'

MEDIA = (
    LINK.format('"@key"')
    + """
type Query {
  media: [Media!]!
  search: [SearchResult!]!
}
interface Media {
  id: ID!
  title: String!
}
type Book implements Media @key(fields: "id") {
  id: ID!
  title: String!
  author: String!
}
type Movie implements Media @key(fields: "id") {
  id: ID!
  title: String!
  director: String!
}
union SearchResult = Book | Movie
"""
)

PEOPLE = (
    LINK.format('"@key"')
    + """
type Query {
  people: [Person!]!
  podcasts: [Media!]!
  lookup: [SearchResult!]!
}
interface Media {
  id: ID!
  title: String!
}
type Podcast implements Media @key(fields: "id") {
  id: ID!
  title: String!
  host: Person!
}
type Person @key(fields: "id") {
  id: ID!
  name: String!
}
type Book @key(fields: "id") {
  id: ID!
  rating: Int!
}
union SearchResult = Person | Book
"""
)

BOOKS = {"b1": {"title": "Dune", "author": "Herbert"}, "b2": {"title": "Emma", "author": "Austen"}}
MOVIES = {"m1": {"title": "Alien", "director": "Scott"}}
RATINGS = {"b1": 5, "b2": 4}


def _book(id_: str) -> dict[str, Any]:
    return {"__typename": "Book", "id": id_, **BOOKS[id_]}


def _movie(id_: str) -> dict[str, Any]:
    return {"__typename": "Movie", "id": id_, **MOVIES[id_]}


def build() -> list[SubgraphSpec]:
    person = {"__typename": "Person", "id": "p1", "name": "Pat"}
    return [
        SubgraphSpec(
            "media",
            MEDIA,
            resolvers={
                "Query.media": lambda _r, _i: [_book("b1"), _movie("m1"), _book("b2")],
                "Query.search": lambda _r, _i: [_movie("m1"), _book("b2")],
            },
            entities={"Book": lambda rep: _book(rep["id"]), "Movie": lambda rep: _movie(rep["id"])},
        ),
        SubgraphSpec(
            "people",
            PEOPLE,
            resolvers={
                "Query.people": lambda _r, _i: [person],
                "Query.podcasts": lambda _r, _i: [
                    {"__typename": "Podcast", "id": "c1", "title": "Talk", "host": person}
                ],
                "Query.lookup": lambda _r, _i: [
                    person,
                    {"__typename": "Book", "id": "b1", "rating": RATINGS["b1"]},
                ],
            },
            entities={
                "Book": lambda rep: {"id": rep["id"], "rating": RATINGS[rep["id"]]},
                "Person": lambda rep: dict(person) if rep["id"] == "p1" else None,
            },
        ),
    ]


SCENARIO = Scenario(
    name="abstract",
    build=build,
    operations=(
        Operation("{ media { __typename id title } }"),
        Operation("{ media { title ... on Book { author rating } ... on Movie { director } } }"),
        Operation("{ search { ... on Book { title rating } ... on Movie { title } } }"),
        Operation("{ lookup { __typename ... on Person { name } ... on Book { title rating } } }"),
        Operation("{ podcasts { id title ... on Podcast { host { name } } } }"),
        Operation("{ search { ...M } } fragment M on Media { id title }"),
    ),
)
