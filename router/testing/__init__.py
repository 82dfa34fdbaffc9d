"""Helpers for testing and benchmarking the router: loopback servers, subgraphs, node tools."""
