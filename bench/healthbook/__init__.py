"""The Healthbook benchmarks: our router vs Hive Gateway vs direct subgraph calls on the real
subgraphs, and the subscription fan-out through the router (see bench/HEALTHBOOK.md)."""
