"""The worker's back-off when the database is away: 1, 2, 4 … seconds up to the configured most, then on."""

import pytest
from django.db import OperationalError

from config.management.commands import db_worker


@pytest.fixture
def worker():
    return db_worker.PatientWorker(
        queue_names=["default"],
        interval=0.1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )


def test_each_failure_waits_twice_as_long_up_to_the_most_then_work_goes_on(worker, monkeypatch, settings):
    settings.TASKS_WORKER_MAX_BACKOFF = 8
    failures = iter([OperationalError("gone")] * 6)
    runs, waits = [], []

    def library_run(self):
        runs.append(1)
        error = next(failures, None)
        if error:
            raise error

    monkeypatch.setattr(db_worker.db_worker.Worker, "run", library_run)
    monkeypatch.setattr(db_worker.time, "sleep", waits.append)
    monkeypatch.setattr(db_worker.random, "uniform", lambda low, high: 1.0)

    worker.run()

    assert waits == [1, 2, 4, 8, 8, 8]
    assert len(runs) == 7  # the seventh run worked (and returned, as --batch would)
