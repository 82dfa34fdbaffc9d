"""Recurring appointments: a series rule expanded into occurrences (rules here, use cases in
`service/series.py`)."""
