"""What an import did, or why it was refused."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus

from config.exceptions import DomainError
from imports.problems import Problems


class BundleRefused(DomainError):
    code = "invalid_bundle"
    status = HTTPStatus.UNPROCESSABLE_ENTITY

    def __init__(self, problems: list[str] | Problems) -> None:
        listed = problems.listed() if isinstance(problems, Problems) else list(problems)
        total = problems.total if isinstance(problems, Problems) else len(listed)
        super().__init__(f"The bundle was not imported: {total:,} problem(s), nothing changed.", problems=listed)
        self.problems, self.total = listed, total


CHANGES_KEPT = 1000


@dataclass
class ImportReport:
    """What the import did (or, in a dry run, would do): the counts, and one line per change, given to ``sink`` as
    they come (a job's pages, a command's output) and the first ``CHANGES_KEPT`` kept in ``changes``."""

    dry_run: bool
    changes: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)
    skipped: dict[str, int] = field(default_factory=dict)
    sink: Callable[[str], None] | None = None
    rows: int = 0  # the rows of the files we keep, read

    def note(self, kind: str, line: str) -> None:
        self.counts[kind] += 1
        if len(self.changes) < CHANGES_KEPT:
            self.changes.append(line)
        if self.sink is not None:
            self.sink(line)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def summary(self) -> str:
        done = ", ".join(f"{kind} {count}" for kind, count in sorted(self.counts.items()))
        if not done:
            return "Nothing to change: the bundle says what is here already."
        return f"Dry run, nothing changed; the import would make: {done}." if self.dry_run else f"Imported: {done}."
