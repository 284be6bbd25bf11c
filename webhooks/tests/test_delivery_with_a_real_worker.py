"""Deliveries through a real worker process to a real receiver on loopback: order, retries, a killed worker, a burst.

The worker runs with a short retry schedule and lease (conftest.WORKER_SETTINGS) so that a day of retries takes a
second; everything else is as in production.
"""

import statistics
import time

import pytest

from changes.models import Change
from changes.sequencing import sequence_pending
from courses.tests.factories import CourseFactory
from students.enrollment import services as enrollment
from students.enrollment.writing import Actor
from students.models import Channel
from students.tests.factories import StudentFactory
from webhooks import services
from webhooks.delivery import message_id

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]
ACTOR = Actor(channel=Channel.SYSTEM)


def subscribe(receiver, **options):
    subscription = services.create_subscription(url=receiver.url, **options)
    receiver.secret = subscription.shown_secret
    return subscription


def enroll_one_by_one(count: int) -> tuple[list[str], dict[str, float]]:
    """``count`` enrollments, each its own transaction: their webhook-ids in feed order, and when each committed."""
    student, courses = StudentFactory(), CourseFactory.create_batch(count)
    committed = {}
    for course in courses:
        enrollment.change_courses(student_id=student.id, enroll=[course.id], actor=ACTOR)
        change = Change.objects.filter(type="enrollment.enrolled").latest("id")
        committed[message_id(change)] = time.monotonic()
    sequence_pending()  # as a feed reader does: an entry the worker has not numbered yet has no position (SQLite
    # sorts such NULLs first, so an unnumbered tail came out ahead of the rest)
    ordered = Change.objects.filter(type="enrollment.enrolled").order_by("position")
    return [message_id(change) for change in ordered], committed


def first_arrivals(receiver) -> list[str]:
    seen = []
    for delivery in receiver.deliveries:
        if delivery.message_id not in seen:
            seen.append(delivery.message_id)
    return seen


def test_a_receiver_failing_for_a_while_then_gets_every_entry_in_order_each_with_one_id(receiver, workers):
    receiver.answer = lambda number: (500 if number <= 3 else 200, 0.0)
    subscribe(receiver, event_types=["enrollment.enrolled"])
    workers.start()
    expected, _ = enroll_one_by_one(5)
    receiver.wait_for(5, timeout=30)
    assert first_arrivals(receiver) == expected
    assert all(delivery.verified for delivery in receiver.deliveries)
    assert {d.body["data"]["cursor"] for d in receiver.deliveries} == {
        str(p) for p in Change.objects.filter(type="enrollment.enrolled").values_list("position", flat=True)
    }


def test_a_worker_killed_mid_delivery_loses_nothing_once_another_worker_runs(receiver, workers):
    receiver.answer = lambda number: (200, 3.0 if number == 1 else 0.0)  # the first request hangs
    subscribe(receiver, event_types=["enrollment.enrolled"])
    first = workers.start()
    expected, _ = enroll_one_by_one(4)
    assert receiver.arrived.wait(timeout=20)
    workers.kill(first)  # while the first delivery is in flight
    workers.start()
    receiver.wait_for(4, timeout=30)
    assert first_arrivals(receiver) == expected


def test_a_burst_of_a_hundred_changes_is_delivered_in_order_within_seconds(receiver, workers):
    subscribe(receiver, event_types=["enrollment.enrolled"])
    workers.start()
    expected, committed = enroll_one_by_one(100)
    receiver.wait_for(100, timeout=60)
    assert first_arrivals(receiver) == expected
    latencies = sorted(
        (d.received_at - committed[d.message_id]) * 1000 for d in receiver.deliveries if d.message_id in committed
    )
    p50, p99 = statistics.median(latencies), latencies[int(len(latencies) * 0.99) - 1]
    # reported, not asserted: a timing on a shared machine is no correctness check (the benchmarks measure latency)
    print(f"100-change burst: delivery latency p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {latencies[-1]:.0f} ms")
