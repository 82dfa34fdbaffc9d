"""Operation shapes: mutations in order, fragments, aliases, @skip/@include, __typename."""

from __future__ import annotations

from tests.router.planner.plans import plan, text

MUTATION = 'mutation { a: appendLog(text: "a") b: appendLog(text: "b") c: clearLog d: appendLog(text: "d") }'  # noqa: E501


def test_mutation_fields_run_in_document_order_one_subgraph_at_a_time() -> None:
    fetches = plan("shop", MUTATION).fetches
    assert [(f.subgraph, f.depends_on) for f in fetches] == [
        ("accounts", ()),
        ("reviews", (0,)),
        ("accounts", (0, 1)),
    ]
    assert fetches[0].operation == 'mutation { a: appendLog(text: "a") b: appendLog(text: "b") }'


def test_query_root_fields_of_different_subgraphs_are_fetched_in_parallel() -> None:
    fetches = plan("shop", "{ me { id } topProducts { upc } reviews { id } }").fetches
    assert [(f.subgraph, f.depends_on) for f in fetches] == [
        ("accounts", ()),
        ("products", ()),
        ("reviews", ()),
    ]


def test_named_and_inline_fragments_and_aliases_reach_the_subgraph_as_fields() -> None:
    query = "{ me { ...F } } fragment F on User { who: name ... on User { username } }"
    (fetch,) = plan("shop", query).fetches
    assert fetch.operation == "query { me { who: name username } }"


def test_skip_and_include_are_decided_by_the_variables() -> None:
    query = "query Q($yes: Boolean!) { me { id name @include(if: $yes) reviews @skip(if: $yes) { id } } }"  # noqa: E501
    included = plan("shop", query, {"yes": True}).fetches
    skipped = plan("shop", query, {"yes": False}).fetches
    assert [f.operation for f in included] == ["query { me { id name } }"]
    assert [f.subgraph for f in skipped] == ["accounts", "reviews"]


def test_typename_and_introspection_need_no_fetch() -> None:
    assert text("shop", "{ __typename }") == "query: nothing to fetch from subgraphs"
    assert plan("shop", "{ __schema { queryType { name } } }").fetches == ()
