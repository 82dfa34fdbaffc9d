"""Prometheus metrics of the worker's jobs, counted by a Dramatiq middleware.

processed (finished without error), failed (raised), retried (re-enqueued by the Retries
middleware), dead (given up: nacked to the dead-letter queue) and the queue lag (time from
enqueue to the start of processing), each by queue: a bounded label, the declared queues.
"""

from __future__ import annotations

import time
from typing import Any

import dramatiq
from dramatiq.middleware import Middleware
from prometheus_client import CollectorRegistry, Counter, Histogram

__all__ = ["JobMetrics"]

_LAG_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0)


class JobMetrics(Middleware):
    """Counts every job this process handles into `registry`."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()

        def counter(name: str, help: str) -> Counter:
            return Counter(name, help, ["queue"], registry=self.registry)

        self.processed = counter("worker_jobs_processed", "Jobs that finished without error.")
        self.failed = counter("worker_jobs_failed", "Job runs that raised (each attempt).")
        self.retried = counter("worker_jobs_retried", "Jobs re-enqueued for another attempt.")
        self.dead = counter("worker_jobs_dead", "Jobs given up and dead-lettered.")
        self.lag = Histogram(
            "worker_job_queue_lag_seconds",
            "Time from a job's enqueue to the start of its processing.",
            ["queue"],
            buckets=_LAG_BUCKETS,
            registry=self.registry,
        )

    @staticmethod
    def _queue(message: dramatiq.Message[Any]) -> str:
        # Delayed retries travel on "<queue>.DQ"; count them under their queue.
        name: str = message.queue_name
        return name.removesuffix(".DQ").removesuffix(".XQ")

    def before_process_message(self, broker: dramatiq.Broker, message: Any) -> None:
        enqueued = message.message_timestamp / 1000
        eta = message.options.get("eta")
        started_after = max(enqueued, eta / 1000 if eta else 0)
        self.lag.labels(self._queue(message)).observe(max(0.0, time.time() - started_after))

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: Any,
        *,
        result: Any = None,
        exception: BaseException | None = None,
    ) -> None:
        (self.failed if exception is not None else self.processed).labels(
            self._queue(message)
        ).inc()

    def after_enqueue(self, broker: dramatiq.Broker, message: Any, delay: int | None) -> None:
        # The Retries middleware re-enqueues with a back-off delay; the move of a delayed
        # message to its queue once due comes without one and is not another retry.
        if delay and message.options.get("retries"):
            self.retried.labels(self._queue(message)).inc()

    def after_nack(self, broker: dramatiq.Broker, message: Any) -> None:
        self.dead.labels(self._queue(message)).inc()
