"""``manage.py db_worker``: django-tasks-db's worker, which waits out a lost database instead of exiting.

The library's worker stops on the first database error that is not a lock (PostgreSQL restarted, a failover, the
network gone for a moment), and neither ``make run`` nor a ``Procfile`` runner starts it again: queued deliveries
and imports would wait until someone noticed. This worker logs the error, closes its connections and tries again
after 1, 2, 4 … up to ``TASKS_WORKER_MAX_BACKOFF`` seconds (with jitter, so many workers do not return at once);
after a quarter of an hour of work without errors it starts over from 1 s. Everything else (options, signals, the
claim on each task) is the library's: this module only gives its command a more patient ``Worker``.
"""

import logging
import random
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("django_tasks_db")
CALM_SECONDS = 900  # a run this long without an error resets the back-off


class PatientWorker(db_worker.Worker):
    def run(self) -> None:
        backoff = 1.0
        while self.running:
            started = time.monotonic()
            try:
                super().run()
                return  # --batch or --max-tasks ended it
            except (OperationalError, InterfaceError) as error:
                if time.monotonic() - started > CALM_SECONDS:
                    backoff = 1.0
                wait = backoff * random.uniform(0.8, 1.2)  # jitter: workers do not all return at once
                logger.warning("The database is unreachable (%s); trying again in %.1f s.", error, wait)
                for connection in connections.all(initialized_only=True):
                    try:
                        connection.close()
                    except Exception:  # a connection to a server that is gone may fail to close
                        connection.connection = None
                time.sleep(wait)
                backoff = min(backoff * 2, settings.TASKS_WORKER_MAX_BACKOFF)


class Command(db_worker.Command):
    help = db_worker.Command.help + " (waiting out a lost database, with back-off)"

    def handle(self, *args, **options) -> None:
        library_worker, db_worker.Worker = db_worker.Worker, PatientWorker  # the library's handle builds the worker
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = library_worker
