"""Every example in README.md runs, in order, against a server started by ``make run`` on its own demo data, and
answers as the README shows (``readme_examples.py`` says how outputs are compared). On SQLite by default; on a
fresh PostgreSQL database when the suite runs with ``DATABASE_URL`` pointing there.

The server runs in a copy of the project tree (the working files, this ``.venv``), so the examples' files and the
SQLite database land there, and nothing the examples change touches the test database or the checkout.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from django.conf import settings

from config.tests import readme_examples
from config.tests.readme_examples import ROOT, Example

pytestmark = pytest.mark.readme

EXAMPLES = readme_examples.examples()


def project_copy(target: Path) -> Path:
    """The tracked and untracked (not ignored) files of the project, with their times, and a link to .venv."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    if (ROOT / ".venv").is_dir():
        (target / ".venv").symlink_to(ROOT / ".venv")
    return target


def fresh_postgres_database(url: str) -> str:
    """A new, empty database beside the one ``url`` names; returns its URL."""
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'enrollments'}_readme"
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(url: str, server: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"make run exited with {server.returncode}")
        try:
            if requests.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"make run did not answer /healthz within {seconds} s")


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """Starts ``make run`` in a copy of the project and runs every README example once, in order."""
    tree = project_copy(tmp_path_factory.mktemp("readme") / "project")
    env = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "PYTEST"))}
    env.pop("DATABASE_URL", None)
    if settings.DATABASES["default"]["ENGINE"] != "config.sqlite_backend":
        env["DATABASE_URL"] = fresh_postgres_database(os.environ["DATABASE_URL"])
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = (tree / "make-run.log").open("w")
    server = subprocess.Popen(
        ["make", "run", f"PORT={port}"], cwd=tree, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        wait_until_healthy(base_url, server)
        yield base_url, readme_examples.run(EXAMPLES, cwd=tree, env=env, base_url=base_url)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


@pytest.mark.parametrize("index", range(len(EXAMPLES)), ids=[example.title for example in EXAMPLES])
def test_the_readme_example_answers_as_shown(outcomes, index):
    base_url, results = outcomes
    output, status = results[index]
    problem = readme_examples.mismatch(EXAMPLES[index], output, status, base_url)
    assert problem is None, problem


EVERY_DOCUMENT = [readme_examples.README, *sorted((readme_examples.ROOT / "docs").glob("*.md"))]


def test_the_readme_has_its_examples():
    commands = " ".join(example.command for example in EXAMPLES)
    assert commands.count("curl ") >= 15
    assert commands.count("manage.py ") >= 8


def test_no_readme_example_of_the_api_or_a_command_escapes_being_run():
    """Only ```console blocks run; the others may hold only what CI runs another way (make run, make test)."""
    text = "\n".join(document.read_text() for document in EVERY_DOCUMENT)
    fences = re.findall(r"^```(\w*)\n(.*?)^```$", text, re.DOTALL | re.MULTILINE)
    for language, body in fences:
        if language != "console":
            assert "curl " not in body, body
            assert "manage.py " not in body, body


def test_the_python_shown_in_the_readme_is_the_example_file_the_examples_run():
    """A ```python block that names a file of docs/examples/ shows that file exactly as it is."""
    text = "\n".join(document.read_text() for document in EVERY_DOCUMENT)
    shown = re.findall(r"`(docs/examples/\w+\.py)`, [^\n]*:\n\n```python\n(.*?)^```$", text, re.DOTALL | re.MULTILINE)
    assert shown, "no document shows an example file"
    for path, body in shown:
        assert body == (readme_examples.ROOT / path).read_text(), path


# How outputs are compared (no server needed) ------------------------------------------------------------------


def example(*shown: str) -> Example:
    return Example(line=1, command="curl -i …", shown=list(shown))


ANSWER = (
    'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nVary: Accept\r\n\r\n[{"id":1,"at":"2026-11-25T10:00:00Z"}]'
)


def test_an_answer_of_the_shown_shape_matches():
    shown = example("HTTP/1.1 200 OK", "Content-Type: application/json", "", '[{"id":1,"at":"2026-11-23T15:13:05Z"}]')
    assert readme_examples.mismatch(shown, ANSWER, 0) is None


def test_an_ellipsis_stands_for_anything():
    assert readme_examples.mismatch(example("HTTP/1.1 200 OK", "", '[{"id":1,…}]'), ANSWER, 0) is None


def test_another_status_does_not_match():
    assert "status" in readme_examples.mismatch(example("HTTP/1.1 201 Created", "", "…"), ANSWER, 0)


def test_another_id_does_not_match():
    assert "body" in readme_examples.mismatch(example("HTTP/1.1 200 OK", "", '[{"id":2,…}]'), ANSWER, 0)


def test_another_header_value_does_not_match():
    shown = example("HTTP/1.1 200 OK", "Content-Type: application/problem+json", "", "…")
    assert "Content-Type" in readme_examples.mismatch(shown, ANSWER, 0)


def test_a_failed_command_does_not_match_unless_the_readme_shows_the_failure():
    assert "exit status 1" in readme_examples.mismatch(example(), "", 1)
    assert (
        readme_examples.mismatch(
            example("line 2: bad", "CommandError: 1 bad row(s)."), "line 2: bad\nCommandError: 1 bad row(s).", 1
        )
        is None
    )


def test_console_blocks_split_commands_continuations_and_outputs():
    text = "```console\n$ curl -X POST \\\n     -d '{}' http://x\nHTTP/1.1 201 Created\n$ true\n```\n```sh\n$ no\n```\n"
    (block,) = readme_examples.console_blocks(text)
    assert [(e.command, e.shown) for e in block] == [
        ("curl -X POST \\\n     -d '{}' http://x", ["HTTP/1.1 201 Created"]),
        ("true", []),
    ]
