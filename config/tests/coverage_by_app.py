"""The coverage gate by app: ``python -m config.tests.coverage_by_app`` reads the ``.coverage`` data that
``make test`` wrote and fails when any app's share of covered lines and branches is under ``--fail-under`` (85).
An aggregate alone hides an app, or a command, at 0 %; ``make test`` runs this after the suite, as CI does."""

import argparse
import io
import sys
from pathlib import Path

import coverage

ROOT = Path(__file__).resolve().parents[2]
# Every package of ours: each Django app (a folder with apps.py) and what imports share (no app of its own); a new app
# is gated without being listed.
APPS = tuple(sorted({path.parent.name for path in ROOT.glob("*/apps.py")} | {"imports"}))


def by_app(data_file: str = ".coverage") -> dict[str, float]:
    """Each app's coverage; an app the data does not reach at all counts as 0 %."""
    measured = coverage.Coverage(data_file=data_file, config_file=".coveragerc")
    measured.load()
    shares = {}
    for app in APPS:
        try:
            shares[app] = measured.report(include=[f"{app}/*"], file=io.StringIO(), skip_covered=False)
        except coverage.exceptions.NoDataError:
            shares[app] = 0.0
    return shares


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fail-under", type=float, default=85.0)
    parser.add_argument("--data-file", default=".coverage")
    args = parser.parse_args()
    shares = by_app(args.data_file)
    below = {app: share for app, share in shares.items() if share < args.fail_under}
    print("coverage by app: " + ", ".join(f"{app} {share:.1f} %" for app, share in shares.items()))
    if below:
        print(
            f"FAIL: under {args.fail_under:g} %: " + ", ".join(f"{app} ({share:.1f} %)" for app, share in below.items())
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
