"""Every environment variable the code reads is listed in docs/configuration.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ = re.compile(r"""(?:env(?:\.\w+)?\(|os\.environ(?:\.get)?[(\[])\s*["']([A-Z][A-Z0-9_]+)["']""")
IGNORED = {"PATH", "PYTEST_XDIST_WORKER"}  # the shell's own, and pytest's


def variables_read() -> set[str]:
    sources = [p for p in ROOT.glob("**/*.py") if ".venv" not in p.parts and "node_modules" not in p.parts]
    return {name for path in sources for name in READ.findall(path.read_text())} - IGNORED


def test_every_environment_variable_the_code_reads_is_documented():
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", (ROOT / "docs" / "configuration.md").read_text()))

    assert variables_read() - documented == set()


def test_the_settings_are_found_where_the_code_reads_them():
    assert {"DJANGO_TIME_ZONE", "DATABASE_URL", "WEB_THREADS", "AXES_COOLOFF_HOURS"} <= variables_read()
