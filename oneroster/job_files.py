"""An import job's file, kept in the database a piece at a time, and the changes an import makes, kept in pages.

The web process streams an upload into ``ImportFileChunk`` rows of 1 MiB (never holding the file whole: the upload
itself was spooled to disk as it arrived), and the worker reads them back one at a time into a temporary file it can
open as a zip. Nothing needs a shared file system, so workers on any machine that reaches the database can run any
job. The pieces are deleted when the import ends.

An import's changes are written, as the import makes them, to a temporary file; once it has ended (a dry run rolled
back), they are stored as ``ImportChangePage`` rows of ``CHANGES_PER_PAGE`` lines, which the API serves page by page.
"""

import contextlib
import tempfile
from collections.abc import Iterator
from typing import IO

from oneroster.models import ImportChangePage, ImportFileChunk, ImportJob

PIECE = 1024 * 1024
CHANGES_PER_PAGE = 1000
PAGES_PER_INSERT = 20


def store(job: ImportJob, upload: IO[bytes]) -> int:
    """Writes the upload (from its start) as the job's pieces; returns its size in bytes."""
    upload.seek(0)
    size = 0
    for seq, piece in enumerate(iter(lambda: upload.read(PIECE), b"")):
        ImportFileChunk.objects.create(job=job, seq=seq, data=piece)
        size += len(piece)
    return size


@contextlib.contextmanager
def opened(job: ImportJob) -> Iterator[IO[bytes]]:
    """The job's file as a seekable temporary file (on disk past a few MiB), read back a piece at a time."""
    with tempfile.SpooledTemporaryFile(max_size=4 * PIECE) as file:
        pieces = ImportFileChunk.objects.filter(job=job).order_by("seq").values_list("data", flat=True)
        for piece in pieces.iterator(chunk_size=1):
            file.write(piece)
        file.seek(0)
        yield file


def forget(job: ImportJob) -> None:
    ImportFileChunk.objects.filter(job=job).delete()


class ChangeSpool:
    """Receives an import's change lines one by one (``add``), on disk; ``save`` stores them as the job's pages."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (closed by save)
        self.count = 0

    def add(self, line: str) -> None:
        self.file.write(line.replace("\n", " ") + "\n")
        self.count += 1

    def lines(self) -> Iterator[str]:
        self.file.seek(0)
        for line in self.file:
            yield line.rstrip("\n")

    def save(self, job: ImportJob) -> int:
        """Stores the lines as the job's pages (replacing any); returns how many lines there were."""
        ImportChangePage.objects.filter(job=job).delete()
        self.file.seek(0)
        pages: list[ImportChangePage] = []
        number = 0
        while lines := [line.rstrip("\n") for _, line in zip(range(CHANGES_PER_PAGE), self.file, strict=False)]:
            number += 1
            pages.append(ImportChangePage(job=job, number=number, lines="\n".join(lines)))
            if len(pages) == PAGES_PER_INSERT:
                ImportChangePage.objects.bulk_create(pages)
                pages = []
        ImportChangePage.objects.bulk_create(pages)
        self.file.close()
        return self.count
