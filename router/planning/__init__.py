"""The query planner: operation → `QueryPlan`, over the supergraph's query graph.

Stages, top-down: `context.py` (the query graph and its search, built once per supergraph),
`walk.py` (the walk over the operation, fields kept in the fetches holding their object),
`jumps.py` (fields no holder resolves: key routes, re-entry at an ancestor, `@requires`,
the cost of a choice), `interface_objects.py`, `contexts.py` (`@fromContext`),
`field_sets.py` and `arguments.py` (what is sent), then `router.fetch_groups`
(groups → fetches).
"""
