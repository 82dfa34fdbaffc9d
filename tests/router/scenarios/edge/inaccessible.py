"""Behaviour 7: values hidden by @inaccessible that a subgraph still returns become null."""

from __future__ import annotations

from tests.router.scenarios.declare import Case, Sub, World, declare

w = World()
t1 = w("Ticket", id="t1", status="OPEN", history=["OPEN", "LEGACY", "CLOSED"], state="OPEN")
t2 = w("Ticket", id="t2", status="LEGACY", history=["LEGACY"], state="LEGACY")
t3 = w("Ticket", id="t3", status="CLOSED", history=None, state="CLOSED")

ENUM_VALUE = declare(
    "hidden_enum_value",
    about="an @inaccessible enum value returned by a subgraph, nullable, in lists, non-null",
    behaviours=[7],
    directives=["@key", "@inaccessible"],
    world=w,
    subgraphs={
        "tickets": Sub(
            """
type Query { tickets: [Ticket!]! }
type Ticket @key(fields: "id") { id: ID! status: Status history: [Status] }
enum Status { OPEN CLOSED LEGACY @inaccessible }
""",
            resolve={"Query.tickets": [t1, t2, t3]},
        ),
        "workflow": Sub(
            """
type Ticket @key(fields: "id") { id: ID! state: State! }
enum State { OPEN CLOSED LEGACY @inaccessible }
""",
        ),
    },
    cases=[
        Case("{ tickets { id status } }"),
        Case("{ tickets { id history } }"),
        Case("{ tickets { id state } }"),
    ],
)

v = World()
b1 = v("Book", id="b1", title="Dune")
x1 = v("Draft", id="d1", title="secret")
OBJECT_TYPE = declare(
    "hidden_object_type",
    about="an @inaccessible member type returned inside a list of a union and of an interface",
    behaviours=[7, 9],
    directives=["@key", "@inaccessible"],
    world=v,
    subgraphs={
        "docs": Sub(
            """
type Query { results: [Result]! docs: [Doc!]! latest: Doc }
union Result = Book | Draft
interface Doc { id: ID! title: String! }
type Book implements Doc @key(fields: "id") { id: ID! title: String! }
type Draft implements Doc @inaccessible { id: ID! title: String! }
""",
            resolve={"Query.results": [b1, x1], "Query.docs": [x1, b1], "Query.latest": x1},
        ),
        "ratings": Sub(
            'type Book @key(fields: "id") { id: ID! stars: Int! }\n',
            rows={"Book": [{**b1, "stars": 4}]},
        ),
    },
    cases=[
        Case("{ results { ... on Book { title stars } } }"),
        Case("{ docs { id title } }"),
        Case("{ latest { __typename id } }"),
    ],
)

y = World()
p1 = y("Patient", id="p1", name="Ann", internalCode="X-1", nickname="annie")
HIDDEN_FIELDS = declare(
    "hidden_field_and_argument",
    about="@inaccessible fields and arguments: absent from the API, used in @requires",
    behaviours=[7],
    directives=["@key", "@inaccessible", "@requires", "@external"],
    world=y,
    subgraphs={
        "patients": Sub(
            """
type Query { patients(includeArchived: Boolean @inaccessible): [Patient!]! }
type Patient @key(fields: "id") { id: ID! name: String! internalCode: String! @inaccessible }
""",
            resolve={"Query.patients": [p1]},
        ),
        "labels": Sub(
            """
type Patient @key(fields: "id") {
  id: ID!
  internalCode: String! @external
  tag: String! @requires(fields: "internalCode")
}
""",
            resolve={"Patient.tag": lambda o: "tag:" + o["internalCode"]},
        ),
    },
    cases=[
        Case("{ patients { name tag } }", expect={"patients": [{"name": "Ann", "tag": "tag:X-1"}]}),
        "{ patients { tag } }",
    ],
)

SCENARIOS = [ENUM_VALUE, OBJECT_TYPE, HIDDEN_FIELDS]
