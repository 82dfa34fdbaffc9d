"""The router at the edge: what stands between the internet and the query pipeline.

CSRF prevention, the request body cap, operation limits, introspection policy, persisted
queries (APQ and the safelist), rate limits and the HTTPS policy.
Each rule is its own module; `router.edge.guard` strings the per-request ones together.
"""
