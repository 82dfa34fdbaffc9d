"""Job metrics: processed, failed, retried and dead jobs and the queue lag, per queue."""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import Retries

from healthbook.job_metrics import JobMetrics


def _value(metrics: JobMetrics, name: str, queue: str) -> float:
    value = metrics.registry.get_sample_value(name, {"queue": queue})
    return value or 0.0


def test_jobs_are_counted_by_outcome_and_queue() -> None:
    broker = StubBroker()
    broker.emit_after("process_boot")
    for middleware in list(broker.middleware):
        if isinstance(middleware, Retries):
            middleware.max_retries = 1
            middleware.min_backoff = middleware.max_backoff = 1
    metrics = JobMetrics()
    broker.add_middleware(metrics)

    @dramatiq.actor(broker=broker, queue_name="mail")
    def works() -> None:
        pass

    @dramatiq.actor(broker=broker, queue_name="sms")
    def breaks() -> None:
        raise RuntimeError("the provider is down")

    works.send()
    works.send()
    breaks.send()
    worker = dramatiq.Worker(broker, worker_timeout=50)
    worker.start()
    try:
        broker.join("mail", fail_fast=False)
        broker.join("sms", fail_fast=False)
        worker.join()
    finally:
        worker.stop()
    assert _value(metrics, "worker_jobs_processed_total", "mail") == 2
    assert _value(metrics, "worker_jobs_failed_total", "mail") == 0
    assert _value(metrics, "worker_jobs_failed_total", "sms") == 2  # the run and its retry
    assert _value(metrics, "worker_jobs_retried_total", "sms") == 1
    assert _value(metrics, "worker_jobs_dead_total", "sms") == 1
    assert _value(metrics, "worker_job_queue_lag_seconds_count", "mail") == 2
    assert _value(metrics, "worker_job_queue_lag_seconds_count", "sms") == 2
