"""Behaviour 2: a field's type differs between subgraphs (fragments per subgraph schema)."""

from __future__ import annotations

from tests.router.scenarios.declare import Case, Sub, World, declare

w = World()
b1 = w("Book", id="b1", title="Dune", pages=412)
s1 = w("Song", id="s1", title="Hey", length=180)
sh1 = w("Shelf", id="sh1", item=b1, items=[b1, None, s1])
sh2 = w("Shelf", id="sh2", item=s1, items=[])

UNION_VS_OBJECT = declare(
    "type_union_vs_object",
    about="Shelf.item is the union Media in one subgraph and plain Book in the other",
    behaviours=[2],
    directives=["@key", "@shareable"],
    world=w,
    subgraphs={
        "catalog": Sub(
            """
type Query { shelves: [Shelf!]! }
type Shelf @key(fields: "id") { id: ID! item: Media @shareable label: String! }
union Media = Book | Song
type Book @key(fields: "id") { id: ID! title: String! @shareable }
type Song @key(fields: "id") { id: ID! title: String! length: Int! }
""",
            resolve={"Query.shelves": [sh1, sh2], "Shelf.label": lambda o: o["id"].upper()},
        ),
        "library": Sub(
            """
type Query { bookShelves: [Shelf!]! }
type Shelf @key(fields: "id") { id: ID! item: Book @shareable }
type Book @key(fields: "id") { id: ID! title: String! @shareable pages: Int! }
""",
            resolve={"Query.bookShelves": [sh1]},
        ),
    },
    cases=[
        Case(
            "{ bookShelves { item { ... on Book { title pages } ... on Song { length } } } }",
            expect={"bookShelves": [{"item": {"title": "Dune", "pages": 412}}]},
        ),
        "{ bookShelves { label item { __typename ... on Song { title } } } }",
        "{ shelves { item { __typename ... on Book { pages } ... on Song { length } } } }",
    ],
)

v = World()
t1 = v("Track", id="t1", name="Intro", seconds=60)
v1 = v("Video", id="v1", name="Clip", seconds=30, resolution="4k")
pl = v("Playlist", id="pl1", first=t1, entries=[t1, v1])

INTERFACE_VS_OBJECT = declare(
    "type_interface_vs_object",
    about="Playlist.first is the interface Entry in one subgraph and the object Track in another",
    # `favourite { first { name } }` is asked of tracks as `first { __typename name }` (Track
    # there, the interface Entry in the API) and answers {"name": "Intro"}, as the
    # `Reference` says; Hive Gateway 2.15.1 asks tracks without `__typename`, cannot resolve
    # Entry's type and answers null with an error.
    generated_hive_wrong='Hive Gateway 2.15.1: `Abstract type "Entry" must resolve to an '
    "Object type at runtime` where the subgraph's field is the object Track",
    behaviours=[2],
    directives=["@key", "@shareable"],
    world=v,
    subgraphs={
        "player": Sub(
            """
type Query { playlists: [Playlist!]! }
type Playlist @key(fields: "id") { id: ID! first: Entry @shareable entries: [Entry!]! }
interface Entry { id: ID! name: String! }
type Track implements Entry @key(fields: "id") { id: ID! name: String! @shareable }
type Video implements Entry @key(fields: "id") { id: ID! name: String! resolution: String! }
""",
            resolve={"Query.playlists": [pl]},
        ),
        "tracks": Sub(
            """
type Query { favourite: Playlist }
type Playlist @key(fields: "id") { id: ID! first: Track @shareable }
type Track @key(fields: "id") { id: ID! name: String! @shareable seconds: Int! }
""",
            resolve={"Query.favourite": pl},
        ),
    },
    cases=[
        Case(
            "{ favourite { first { name ... on Track { seconds } ... on Video { resolution } } } }",
            expect={"favourite": {"first": {"name": "Intro", "seconds": 60}}},
        ),
        "{ favourite { entries { __typename name ... on Video { resolution } } } }",
        "{ playlists { first { ... on Video { resolution } ... on Track { seconds } } } }",
    ],
)

x = World()
r1 = x("Room", id="r1", tags=["a", None, "c"], title="Hall")
r2 = x("Room", id="r2", tags=[], title=None)

NULLABILITY = declare(
    "type_nullability_differs",
    about="shareable fields nullable in one subgraph and non-null in another, nulls in lists",
    behaviours=[2],
    directives=["@key", "@shareable"],
    world=x,
    subgraphs={
        "rooms": Sub(
            """
type Query { rooms: [Room]! }
type Room @key(fields: "id") { id: ID! tags: [String] @shareable title: String @shareable }
""",
            resolve={"Query.rooms": [r1, None, r2]},
        ),
        "signs": Sub(
            """
type Query { room(id: ID!): Room }
type Room @key(fields: "id") { id: ID! tags: [String] @shareable title: String! @shareable }
""",
            resolve={
                "Query.room": lambda _o, id: next((r for r in (r1, r2) if r["id"] == id), None)
            },
        ),
    },
    cases=[
        Case("{ rooms { id tags title } }"),
        Case('{ room(id: "r2") { tags title } }'),
        Case(
            '{ room(id: "r1") { tags title } }',
            expect={"room": {"tags": ["a", None, "c"], "title": "Hall"}},
        ),
    ],
)

SCENARIOS = [UNION_VS_OBJECT, INTERFACE_VS_OBJECT, NULLABILITY]
