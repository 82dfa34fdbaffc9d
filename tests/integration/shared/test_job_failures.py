"""Failing jobs are retried with back-off, then parked in the dead-letter queue."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator

import dramatiq
import pytest
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.stub import StubBroker

from subgraphs.shared.bus import build_broker
from subgraphs.shared.settings import Settings
from tests.support.rabbitmq import private_vhost


class Flaky:
    """A job that fails a given number of times, then succeeds."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.attempts = 0
        self.lock = threading.Lock()

    def __call__(self, value: int) -> None:
        with self.lock:
            self.attempts += 1
            if self.attempts <= self.failures:
                raise RuntimeError(f"attempt {self.attempts} fails")


def job_settings(settings: Settings, broker_url: str = "") -> Settings:
    return dataclasses.replace(
        settings,
        broker_url=broker_url,
        job_max_retries=2,
        job_min_backoff_ms=10,
        job_max_backoff_ms=40,
    )


@pytest.fixture
def amqp_url() -> Iterator[str]:
    with private_vhost() as url:
        yield url


def run(broker: dramatiq.Broker, job: Flaky, queue: str) -> None:
    actor = dramatiq.Actor(
        job, broker=broker, actor_name="flaky", queue_name=queue, priority=0, options={}
    )
    actor.send(1)
    worker = dramatiq.Worker(broker, worker_threads=1, worker_timeout=50)
    worker.start()
    try:
        if isinstance(broker, StubBroker):
            broker.join(queue, timeout=30_000, fail_fast=False)
        else:
            broker.join(queue, timeout=30_000)
        worker.join()
    finally:
        worker.stop()


def test_a_job_that_recovers_is_retried_until_it_succeeds(settings: Settings) -> None:
    broker = build_broker(job_settings(settings))
    job = Flaky(failures=2)
    run(broker, job, "jobs")
    assert job.attempts == 3
    assert isinstance(broker, StubBroker)
    assert broker.dead_letters == []


def test_a_job_that_keeps_failing_ends_in_the_dead_letter_queue(settings: Settings) -> None:
    broker = build_broker(job_settings(settings))
    job = Flaky(failures=100)
    run(broker, job, "jobs")
    assert job.attempts == 3  # the first try and two retries
    assert isinstance(broker, StubBroker)
    assert [message.actor_name for message in broker.dead_letters] == ["flaky"]


@pytest.mark.rabbitmq
def test_on_rabbitmq_a_failing_job_is_dead_lettered(settings: Settings, amqp_url: str) -> None:
    broker = build_broker(job_settings(settings, amqp_url))
    try:
        job = Flaky(failures=100)
        run(broker, job, "jobs")
        assert job.attempts == 3
        assert isinstance(broker, RabbitmqBroker)
        _, _, dead = broker.get_queue_message_counts("jobs")
        assert dead == 1
    finally:
        broker.close()
