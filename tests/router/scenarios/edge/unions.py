"""Behaviour 9: partial unions and interfaces (members not shared by the chosen subgraph)."""

from __future__ import annotations

from tests.router.scenarios.declare import Case, Sub, World, declare

w = World()
a1 = w("Cat", id="c1", name="Tom", lives=9)
d1 = w("Dog", id="d1", name="Rex", breed="lab")
f1 = w("Fish", id="f1", name="Nemo", fins=3)

PARTIAL_UNION = declare(
    "union_partial_members",
    about="the union Pet is Cat | Dog in one subgraph and Cat | Fish in the other",
    behaviours=[9],
    directives=["@key", "@shareable"],
    world=w,
    subgraphs={
        "shelter": Sub(
            """
type Query { adoptable: [Pet!]! }
union Pet = Cat | Dog
type Cat @key(fields: "id") { id: ID! name: String! @shareable }
type Dog @key(fields: "id") { id: ID! name: String! breed: String! }
""",
            resolve={"Query.adoptable": [a1, d1]},
        ),
        "aquarium": Sub(
            """
type Query { tanks: [Pet]! }
union Pet = Cat | Fish
type Cat @key(fields: "id") { id: ID! name: String! @shareable lives: Int! }
type Fish @key(fields: "id") { id: ID! name: String! fins: Int! }
""",
            resolve={"Query.tanks": [f1, None, a1]},
        ),
    },
    cases=[
        Case(
            "{ adoptable { ... on Cat { name lives } ... on Dog { breed } ... on Fish { fins } } }",
            expect={"adoptable": [{"name": "Tom", "lives": 9}, {"breed": "lab"}]},
        ),
        "{ tanks { __typename ... on Dog { breed } ... on Fish { name fins } ... on Cat { lives } } }",
    ],
)

v = World()
h1 = v("Image", id="i1", src="/a.png", alt="A")
h2 = v("Clip", id="v1", src="/v.mp4", seconds=5)
h3 = v("Quote", id="q1", text="be kind")
pg = v("Page", id="pg1", blocks=[h1, h2, h3], hero=h2)

PARTIAL_NESTED = declare(
    "union_partial_nested",
    about="Page.blocks (a @shareable union field) with different members per subgraph",
    behaviours=[9, 2],
    directives=["@key", "@shareable"],
    world=v,
    subgraphs={
        "pages": Sub(
            """
type Query { pages: [Page!]! }
type Page @key(fields: "id") { id: ID! hero: Block @shareable }
union Block = Image | Clip
type Image @key(fields: "id") { id: ID! src: String! @shareable }
type Clip @key(fields: "id") { id: ID! src: String! @shareable seconds: Int! }
""",
            resolve={"Query.pages": [pg]},
        ),
        "blocks": Sub(
            """
type Page @key(fields: "id") { id: ID! hero: Block @shareable blocks: [Block!]! }
union Block = Image | Quote
type Image @key(fields: "id") { id: ID! src: String! @shareable alt: String! }
type Quote @key(fields: "id") { id: ID! text: String! }
""",
            rows={"Page": [{**pg, "blocks": [h1, h3], "hero": h1}], "Image": [h1], "Quote": [h3]},
        ),
    },
    cases=[
        Case(
            "{ pages { hero { ... on Clip { seconds } ... on Image { alt } } } }",
            expect={"pages": [{"hero": {"seconds": 5}}]},
        ),
        "{ pages { blocks { __typename ... on Image { src alt } ... on Quote { text } ... on Clip { seconds } } } }",
    ],
)

x = World()
e1 = x("Email", id="e1", subject="Hi", size=10)
s1 = x("Sms", id="s1", subject="Yo", chars=2)
p1 = x("Push", id="p1", subject="Ping", badge=1)

PARTIAL_INTERFACE = declare(
    "interface_partial_implementations",
    about="an interface implemented by different object sets in two subgraphs",
    behaviours=[9],
    directives=["@key", "@shareable"],
    world=x,
    subgraphs={
        "mail": Sub(
            """
type Query { inbox: [Message!]! }
interface Message { id: ID! subject: String! }
type Email implements Message @key(fields: "id") { id: ID! subject: String! @shareable size: Int! }
type Sms implements Message @key(fields: "id") { id: ID! subject: String! @shareable }
""",
            resolve={"Query.inbox": [e1, s1]},
        ),
        "mobile": Sub(
            """
type Query { alerts: [Message!]! }
interface Message { id: ID! subject: String! }
type Sms implements Message @key(fields: "id") { id: ID! subject: String! @shareable chars: Int! }
type Push implements Message @key(fields: "id") { id: ID! subject: String! badge: Int! }
""",
            resolve={"Query.alerts": [p1, s1]},
        ),
    },
    cases=[
        Case(
            "{ inbox { subject ... on Sms { chars } ... on Push { badge } ... on Email { size } } }",
            expect={"inbox": [{"subject": "Hi", "size": 10}, {"subject": "Yo", "chars": 2}]},
        ),
        "{ alerts { __typename subject ... on Email { size } ... on Push { badge } } }",
    ],
)

SCENARIOS = [PARTIAL_UNION, PARTIAL_NESTED, PARTIAL_INTERFACE]
