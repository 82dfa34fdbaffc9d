"""Webhooks (issue 18): admins' endpoints hear domain events, signed per Standard Webhooks."""
