"""Healthbook: the `healthbook` command and the embedded-mode orchestration."""
