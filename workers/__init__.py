"""Dramatiq actors: event consumers, notification delivery and the reminder dispatcher."""
