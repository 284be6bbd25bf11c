"""The problems an import finds: every one is counted, the first ``IMPORT_MAX_PROBLEMS`` are kept with their place,
so a file of a million bad rows is reported in a report of bounded size that still says how many there were."""

from django.conf import settings


class Problems:
    def __init__(self, keep: int | None = None) -> None:
        self.keep = settings.IMPORT_MAX_PROBLEMS if keep is None else keep
        self.kept: list[str] = []
        self.total = 0

    def add(self, message: str) -> None:
        self.total += 1
        if len(self.kept) < self.keep:
            self.kept.append(message)

    def extend(self, messages) -> None:
        for message in messages:
            self.add(message)

    def count_more(self, count: int) -> None:
        """Counts ``count`` problems found but not given (a source that kept only its first ones)."""
        self.total += count

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total

    def listed(self) -> list[str]:
        """The kept problems, and a last line saying how many more there were when some were not kept."""
        more = self.total - len(self.kept)
        return [*self.kept, f"… and {more:,} more problem(s) of the same kinds."] if more else list(self.kept)
