"""Doctors' use cases: keyword-only async functions, one transaction each."""
