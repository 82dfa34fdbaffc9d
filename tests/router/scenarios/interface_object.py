"""@interfaceObject, with Strawberry subgraphs: an entity interface, and a subgraph that
adds fields to every implementation without knowing them."""

from __future__ import annotations

from dataclasses import dataclass

import strawberry
from strawberry.asgi import GraphQL

from tests.router.scenarios import Operation, Scenario


@strawberry.federation.interface(keys=["id"])
class Media:
    id: strawberry.ID
    title: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Media:
        return CATALOG[str(id)]


@strawberry.federation.type(keys=["id"])
class Book(Media):
    author: str


@strawberry.federation.type(keys=["id"])
class Movie(Media):
    director: str


CATALOG: dict[str, Media] = {
    "b1": Book(id=strawberry.ID("b1"), title="Dune", author="Herbert"),
    "m1": Movie(id=strawberry.ID("m1"), title="Alien", director="Scott"),
    "b2": Book(id=strawberry.ID("b2"), title="Emma", author="Austen"),
}


@strawberry.type
class MediaQuery:
    @strawberry.field
    def media(self) -> list[Media]:
        return list(CATALOG.values())


REVIEWS = {"b1": ["great"], "m1": ["scary", "classic"]}


@strawberry.federation.interface_object(keys=["id"], name="Media")
class ReviewedMedia:
    id: strawberry.ID
    reviews: list[str]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> ReviewedMedia:
        return ReviewedMedia(id=id, reviews=REVIEWS.get(str(id), []))


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def most_reviewed(self) -> list[ReviewedMedia]:
        return [ReviewedMedia(id=strawberry.ID(i), reviews=r) for i, r in REVIEWS.items()]


MEDIA_SCHEMA = strawberry.federation.Schema(
    query=MediaQuery, types=[Book, Movie], federation_version="2.9"
)
REVIEWS_SCHEMA = strawberry.federation.Schema(query=ReviewsQuery, federation_version="2.9")


@dataclass
class StrawberrySubgraph:
    name: str
    schema: strawberry.federation.Schema

    @property
    def sdl(self) -> str:
        return self.schema.as_str()

    @property
    def handle(self) -> GraphQL[None, None]:
        return GraphQL(self.schema)


def build() -> list[StrawberrySubgraph]:
    return [
        StrawberrySubgraph("media", MEDIA_SCHEMA),
        StrawberrySubgraph("reviews", REVIEWS_SCHEMA),
    ]


SCENARIO = Scenario(
    name="interface_object",
    build=build,
    operations=(
        Operation("{ media { id title reviews } }"),
        Operation("{ media { ... on Book { author reviews } ... on Movie { title } } }"),
        Operation("{ mostReviewed { id reviews } }"),
        Operation("{ mostReviewed { __typename id title reviews ... on Book { author } } }"),
    ),
)
