"""What the benchmark's scripts share: where the project is, and the environment of a production process."""

import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/enrollments_bench"


def production_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_THROTTLE_USER": os.environ.get("DJANGO_THROTTLE_USER", "1000000/second"),
        "DJANGO_LOG_LEVEL": "WARNING",
    }


TIME = "/usr/bin/time"  # GNU time (Debian's package time)


def child(args: list[str], env: dict[str, str]) -> dict:
    """Runs ``manage.py args`` in a child process: its wall seconds, peak memory (MB, its maximum resident set) and its
    last line of output; ``error`` (the output's end) when it failed.

    The peak is GNU time's: a process forked from this one starts with this one's peak as its own (Linux keeps the
    high-water mark across exec), so a large parent would show in every child's peak; time's child is forked from
    time, which is small. Without GNU time, ``wait4``'s figure is given (at least this process's own peak)."""
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as out, tempfile.NamedTemporaryFile() as peak:
        command = [sys.executable, "manage.py", *args]
        if os.path.exists(TIME):
            command = [TIME, "--quiet", "-f", "%M", "-o", peak.name, *command]
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(max(out.seek(0, os.SEEK_END) - 4000, 0))  # the end only: the output may be a million lines
        printed = out.read().strip()
        measured = open(peak.name).read().split()  # noqa: SIM115
    if os.waitstatus_to_exitcode(status) != 0:
        return {"error": printed[-2000:]}
    kilobytes = int(measured[-1]) if measured else usage.ru_maxrss
    said = printed.splitlines()[-1] if printed else ""
    return {"seconds": round(seconds, 2), "peak_mb": round(kilobytes / 1024, 1), "summary": said}


def ensure_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def baseline_token(user_id: int) -> str:
    """A key of DRF's own token model for the plain DRF app (bench/baseline.py), which reads DRF's table
    (``authtoken_token``, keys in clear, as a plain DRF app keeps them): made here, since our installation has no such
    table (its tokens are hashed, ``accounts``)."""
    from django.db import connection

    key = secrets.token_hex(20)
    timestamp = "timestamp with time zone" if connection.vendor == "postgresql" else "datetime"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS authtoken_token (key varchar(40) PRIMARY KEY, "
            f"created {timestamp} NOT NULL, user_id integer NOT NULL UNIQUE)"
        )
        cursor.execute("DELETE FROM authtoken_token WHERE user_id = %s", [user_id])
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, CURRENT_TIMESTAMP, %s)", [key, user_id])
    return key


def small_school(database_url: str, *, students: int, courses: int, seed: int, username: str) -> str:
    """Django set up in this process on ``database_url`` (production settings), migrated and seeded with a small
    demo school; the key of a new token for a superuser ``username``."""
    os.environ.update(production_env(database_url))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from accounts.tokens import create_token

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", students=students, courses=courses, per_student=3, seed=seed, stdout=quiet)
    user, _ = User.objects.get_or_create(username=username, defaults={"is_superuser": True, "is_staff": True})
    return create_token(user=user, name=f"{username} benchmark")[1]
