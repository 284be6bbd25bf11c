"""A task worker outlives its database (issue #22, finding 8): PostgreSQL is stopped under a running
``manage.py db_worker`` and started again, and work queued afterwards is done by that same worker.

The test runs its own PostgreSQL cluster (initdb in a temporary folder, as the ``postgres`` user, on a free port), so
stopping it disturbs nothing else. It needs PostgreSQL's server programs and root (to act as ``postgres``); without
them it is skipped, except in CI. It runs in the PostgreSQL pass only: the cluster is its own whatever the suite's
database, and once is enough.
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from config.tests.servers import ROOT, free_port

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="runs once, in the PostgreSQL pass"),
]
BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin"))


class Cluster:
    """A PostgreSQL cluster of its own, owned by the ``postgres`` user."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port, self.bin = folder, free_port(), Path(BINARIES[-1])
        folder.chmod(0o777)
        self._as_postgres("initdb", "-D", str(folder / "data"), "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()
        self._as_postgres("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "enrollments")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/enrollments"

    def _as_postgres(self, program: str, *args: str, check: bool = True) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(self.bin / program), *args],
            check=check,
            capture_output=True,
            cwd=self.folder,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        data, log = str(self.folder / "data"), str(self.folder / "log")
        self._as_postgres("pg_ctl", "-D", data, "-o", options, "-l", log, "-w", "start")

    def stop(self, *, check: bool = True) -> None:
        self._as_postgres("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop", check=check)


@pytest.fixture
def cluster():
    if not BINARIES or os.geteuid() != 0 or not shutil.which("runuser"):
        message = "needs PostgreSQL's server programs and root, to run a cluster of its own"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must run this test.")
        pytest.skip(message)
    folder = Path(tempfile.mkdtemp(prefix="enrollments-cluster-"))  # pytest's own folders are root's alone
    own = Cluster(folder)
    yield own
    own.stop(check=False)  # stopped already if the test failed in between
    shutil.rmtree(folder, ignore_errors=True)


def manage(database_url: str, *args: str, **popen) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_LOG_FORMAT": "text"}
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env, **popen)


QUEUE_AN_IMPORT = """
import io
from oneroster import jobs
from django.db import transaction
with transaction.atomic():
    upload = io.BytesIO(b"student_email,course_code\\n")
    job = jobs.submit(kind="csv", upload=upload, dry_run=True, options={}, user=None)
print(job.pk)
"""


def job_status(database_url: str, job_id: int) -> str:
    with psycopg.connect(database_url.replace("postgres://", "postgresql://")) as db:
        return db.execute("SELECT status FROM import_jobs WHERE id = %s", [job_id]).fetchone()[0]


def test_a_worker_outlives_a_database_restart_and_does_the_work_queued_afterwards(cluster, tmp_path):
    assert manage(cluster.url, "migrate", "--verbosity", "0").wait(timeout=180) == 0
    log = (tmp_path / "worker.log").open("wb")
    worker = manage(cluster.url, "db_worker", "--no-reload", "--interval", "0.2", stdout=log, stderr=subprocess.STDOUT)
    try:
        time.sleep(2)
        cluster.stop()
        time.sleep(4)  # the worker meets the closed database several times over
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
        cluster.start()

        queued = manage(cluster.url, "shell", "-c", QUEUE_AN_IMPORT, stdout=subprocess.PIPE, text=True)
        job_id = int(queued.communicate(timeout=60)[0].split()[-1])
        deadline = time.monotonic() + 45
        while job_status(cluster.url, job_id) in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.3)

        assert job_status(cluster.url, job_id) == "succeeded"  # a dry run of a file of no rows: done
        assert worker.poll() is None
        assert "database is unreachable" in (tmp_path / "worker.log").read_text()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
