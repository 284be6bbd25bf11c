"""Reading an import's file within fixed bounds, whatever it holds.

A zip is checked from its directory before anything is decompressed: how many entries, each one's and the total
uncompressed size, each large entry's compression ratio (a zip bomb declares sizes it cannot hide, and Python's
``zipfile`` never decompresses more than an entry declares), encryption and the compression method. A CSV is read one
physical line at a time with a bounded ``readline``, so a line of fifty million commas is refused after the first
``IMPORT_MAX_LINE_BYTES`` rather than split into fifty million fields; rows, columns and cells are bounded too. Every
refusal is a problem naming the file and line, never an exception from deep inside ``csv`` or ``zipfile``.
"""

import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.conf import settings

from imports.problems import Problems

RATIO_FROM_BYTES = 1024 * 1024  # smaller entries compress as they like (a short manifest of repeats, say)
UTF8_HINT = "save it as UTF-8 (in Excel: Save As, CSV UTF-8)"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SUPPORTED_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflated"}

csv.field_size_limit(1024 * 1024)  # a cell, quoted lines included, at most this (each line is bounded below too)


class UnreadableFile(Exception):
    """The file cannot be read at all; the message says why and what to do."""


@dataclass(frozen=True)
class Limits:
    uncompressed_bytes: int
    compression_ratio: int
    zip_entries: int
    line_bytes: int
    columns: int
    rows: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(
            uncompressed_bytes=settings.IMPORT_MAX_UNCOMPRESSED_BYTES,
            compression_ratio=settings.IMPORT_MAX_COMPRESSION_RATIO,
            zip_entries=settings.IMPORT_MAX_ZIP_ENTRIES,
            line_bytes=settings.IMPORT_MAX_LINE_BYTES,
            columns=settings.IMPORT_MAX_COLUMNS,
            rows=settings.IMPORT_MAX_ROWS,
        )


def open_zip(source: str | IO[bytes], limits: Limits | None = None) -> zipfile.ZipFile:
    """The archive, once its directory says it can be read within the bounds; ``UnreadableFile`` otherwise."""
    limits = limits or Limits.from_settings()
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise UnreadableFile("the file is no zip archive (or a damaged one)") from None
    try:
        _check_directory(archive.infolist(), limits)
    except UnreadableFile:
        archive.close()
        raise
    return archive


def _check_directory(entries: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(entries) > limits.zip_entries:
        raise UnreadableFile(f"the zip holds {len(entries)} entries; at most {limits.zip_entries} are taken")
    total = 0
    for entry in entries:
        name = entry.filename
        if entry.flag_bits & 0x1:
            raise UnreadableFile(f"{name} is encrypted; send the bundle without a password")
        if entry.compress_type not in SUPPORTED_METHODS:
            raise UnreadableFile(
                f"{name} is compressed with method {entry.compress_type}; use deflate (any zip tool's default)"
            )
        if entry.file_size > limits.uncompressed_bytes:
            raise UnreadableFile(f"{name} holds {entry.file_size:,} bytes; at most {limits.uncompressed_bytes:,}")
        if entry.file_size > RATIO_FROM_BYTES and entry.file_size > limits.compression_ratio * max(
            entry.compress_size, 1
        ):
            raise UnreadableFile(
                f"{name} expands {entry.file_size // max(entry.compress_size, 1):,} times; at most "
                f"{limits.compression_ratio} (no CSV compresses that well: it is a zip bomb or no CSV)"
            )
        total += entry.file_size
    if total > limits.uncompressed_bytes:
        raise UnreadableFile(f"the zip expands to {total:,} bytes; at most {limits.uncompressed_bytes:,}")


def csv_rows(
    stream: IO[bytes], problems: Problems, *, name: str = "", limits: Limits | None = None
) -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV file (UTF-8, with or without a BOM) as ``(line, cells)``, the header included; blank lines
    left out. A bad line (not UTF-8, holding NUL) is a problem and is skipped; a line too long, a row of too many
    columns, a file of too many rows, a damaged zip entry or CSV that cannot be parsed is a problem and ends the
    file. Problems name the place as ``{name} line N`` (``line N`` for a file without a name)."""
    limits = limits or Limits.from_settings()
    lines = _lines(stream, problems, name=name, limit=limits.line_bytes)
    reader = csv.reader(lines)
    rows = 0
    try:
        for row in reader:
            if not row:
                continue
            if len(row) > limits.columns:
                problems.add(f"{place(name, reader.line_num)}: {len(row):,} columns; at most {limits.columns}")
                return
            rows += 1
            if rows > limits.rows + 1:  # the header is no row
                problems.add(f"{name or 'the file'}: more than {limits.rows:,} rows; split the file")
                return
            yield reader.line_num, row
    except csv.Error as error:
        problems.add(f"{place(name, reader.line_num)}: not valid CSV ({error})")
    except _TooLong as too_long:
        problems.add(f"{place(name, too_long.line)}: longer than {limits.line_bytes:,} bytes")
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        problems.add(f"{name or 'the file'}: the zip entry is damaged ({error}); export the bundle again")


def place(name: str, line: int) -> str:
    return f"{name} line {line}" if name else f"line {line}"


class _TooLong(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _lines(stream: IO[bytes], problems: Problems, *, name: str, limit: int) -> Iterator[str]:
    """Each physical line decoded; an undecodable line or one holding NUL becomes an empty line (so that line
    numbers stay true) and a problem."""
    number = 0
    while raw := stream.readline(limit + 1):
        number += 1
        if len(raw) > limit and not raw.endswith(b"\n"):
            raise _TooLong(number)
        if number == 1 and raw.startswith(UTF16_BOMS):  # one problem for the file, not one for every line
            problems.add(f"{name or 'the file'}: UTF-16 text (what Excel's “Unicode Text” saves); {UTF8_HINT}")
            return
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            problems.add(f"{place(name, number)}: not UTF-8 text ({error.reason} at byte {error.start}); {UTF8_HINT}")
            yield "\n"
            continue
        if "\x00" in text:
            problems.add(f"{place(name, number)}: holds a NUL character, which no value can (UTF-16 text? {UTF8_HINT})")
            yield "\n"
            continue
        yield text
