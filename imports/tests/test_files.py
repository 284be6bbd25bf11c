"""Any file is read within the bounds: lines, columns, rows, NUL, text that is no UTF-8; problems kept and counted."""

import io

from imports.files import Limits, csv_rows
from imports.problems import Problems

LIMITS = Limits(uncompressed_bytes=10**6, compression_ratio=100, zip_entries=8, line_bytes=100, columns=5, rows=3)


def read(data: bytes, keep: int = 10) -> tuple[list[tuple[int, list[str]]], Problems]:
    problems = Problems(keep=keep)
    rows = list(csv_rows(io.BytesIO(data), problems, limits=LIMITS))
    return rows, problems


def test_rows_come_with_their_lines_and_a_bom_is_no_cell():
    rows, problems = read(b"\xef\xbb\xbfa,b\n1,2\n\n3,4\n")
    assert rows == [(1, ["a", "b"]), (2, ["1", "2"]), (4, ["3", "4"])]
    assert not problems


def test_a_quoted_cell_may_span_lines():
    rows, _ = read(b'a,b\n"one\ntwo",2\n')
    assert rows == [(1, ["a", "b"]), (3, ["one\ntwo", "2"])]


def test_a_line_over_the_bound_ends_the_file():
    rows, problems = read(b"a,b\n" + b"x" * 500 + b"\n1,2\n")
    assert rows == [(1, ["a", "b"])]
    assert problems.kept == ["line 2: longer than 100 bytes"]


def test_a_row_of_too_many_columns_ends_the_file():
    _, problems = read(b"a,b\n1,2,3,4,5,6\n")
    assert problems.kept == ["line 2: 6 columns; at most 5"]


def test_more_rows_than_the_bound_end_the_file():
    rows, problems = read(b"h\n1\n2\n3\n4\n5\n")
    assert [line for line, _ in rows] == [1, 2, 3, 4]
    assert problems.kept == ["the file: more than 3 rows; split the file"]


def test_a_nul_or_text_that_is_no_utf8_is_a_problem_and_the_line_is_skipped():
    rows, problems = read(b"a\nx\x00y\nZo\xeb\nok\n")
    assert rows == [(1, ["a"]), (4, ["ok"])]
    assert problems.kept[0] == (
        "line 2: holds a NUL character, which no value can (UTF-16 text? save it as UTF-8 (in Excel: Save As, CSV "
        "UTF-8))"
    )
    assert problems.kept[1].startswith("line 3: not UTF-8 text")


def test_every_problem_is_counted_and_the_first_ones_kept():
    _, problems = read(b"a\n" + b"\x00\n" * 50, keep=3)
    assert problems.total == 50
    assert problems.listed()[-1] == "… and 47 more problem(s) of the same kinds."
