"""The district's OneRoster bundle, imported: ``export_oneroster`` of the benchmark's database, then, each by
``import_oneroster`` in a child process (wall time, peak memory): into an empty installation (a new database,
migrated), the same bundle again (nothing to change), and a dry run of it; last, the copy's own export, compared byte
for byte with the bundle (``dateLastModified`` aside: the copy's records were written when it was imported).

    python bench/bundle_import.py            # the benchmark's district database (seeded as make bench seeds it)
"""

import argparse
import csv
import io
import os
import tempfile
import zipfile
from pathlib import Path

import psycopg
from common import DEFAULT_URL, child, production_env

TARGETS = {"into an empty installation": (60, 500), "again (nothing to change)": (15, None), "dry run": (20, 300)}


def _admin(database_url: str) -> psycopg.Connection:
    return psycopg.connect(database_url.rsplit("/", 1)[0] + "/postgres", autocommit=True)


def _without_modified(path: str) -> dict[str, list[list[str]]]:
    """Each file's rows without its dateLastModified column (a copy's records are as new as the import)."""
    files = {}
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            rows = list(csv.reader(io.TextIOWrapper(archive.open(name), encoding="utf-8", newline="")))
            drop = rows[0].index("dateLastModified") if rows and "dateLastModified" in rows[0] else None
            files[name] = [[cell for i, cell in enumerate(row) if i != drop] for row in rows]
    return files


def bundle_timings(database_url: str) -> dict:
    copy_name = database_url.rsplit("/", 1)[1] + "_bundle"
    copy_url = database_url.rsplit("/", 1)[0] + "/" + copy_name
    env, copy_env = production_env(database_url), production_env(copy_url)
    with tempfile.TemporaryDirectory() as folder:
        bundle, again = str(Path(folder) / "district.zip"), str(Path(folder) / "copy.zip")
        results = {"export": child(["export_oneroster", bundle], env)}
        results["export"]["size_mb"] = round(os.path.getsize(bundle) / 1e6, 1)
        with _admin(database_url) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{copy_name}"')
            admin.execute(f'CREATE DATABASE "{copy_name}"')
        try:
            child(["migrate", "--noinput"], copy_env)
            results["into an empty installation"] = child(["import_oneroster", bundle], copy_env)
            results["again (nothing to change)"] = child(["import_oneroster", bundle], copy_env)
            results["dry run"] = child(["import_oneroster", bundle, "--dry-run"], copy_env)
            child(["export_oneroster", again], copy_env)
            results["same export"] = _without_modified(bundle) == _without_modified(again)
        finally:
            with _admin(database_url) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{copy_name}"')
    return results


def markdown(results: dict) -> str:
    export = results["export"]
    lines = [
        f"This database's bundle ({export.get('size_mb')} MB zip, exported in {export.get('seconds')} s), "
        "import_oneroster in a child process:",
        "",
        "| run | seconds | target s | peak MB | target MB | summary |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, (seconds, megabytes) in TARGETS.items():
        run = results.get(name, {})
        said = run.get("summary", run.get("error", "")[-200:]).replace("|", "/")
        lines.append(
            f"| {name} | {run.get('seconds', '')} | ≤ {seconds} | {run.get('peak_mb', '')} "
            f"| {f'≤ {megabytes}' if megabytes else ''} | {said[:160]} |"
        )
    lines += ["", f"The copy's export is the bundle (dateLastModified aside): {results.get('same export')}."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    print(markdown(bundle_timings(parser.parse_args().database_url)))


if __name__ == "__main__":
    main()
