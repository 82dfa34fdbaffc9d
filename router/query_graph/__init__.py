"""The query graph of a supergraph and the search over it (see `graph.py`, `search.py`)."""

from router.query_graph.build import build_query_graph
from router.query_graph.graph import DowncastEdge, FieldEdge, KeyEdge, Node, QueryGraph
from router.query_graph.search import MAX_JUMPS, MAX_STATES, Jump, PathSearch, Route

__all__ = [
    "MAX_JUMPS",
    "MAX_STATES",
    "DowncastEdge",
    "FieldEdge",
    "Jump",
    "KeyEdge",
    "Node",
    "PathSearch",
    "QueryGraph",
    "Route",
    "build_query_graph",
]
