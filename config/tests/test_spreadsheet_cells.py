"""Cells a spreadsheet would run are written as text and read back as they were (issue #22, finding 7)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config.spreadsheet_cells import neutralized, restored


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+1-555", "'+1-555"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("'quoted", "''quoted"),
        ("Ada", "Ada"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_written_behind_a_quote(cell, written):
    assert neutralized(cell) == written


@given(st.text())
def test_every_cell_reads_back_as_it_was_written(cell):
    assert restored(neutralized(cell)) == cell


@pytest.mark.parametrize("cell", ["'Ohana", "O'Brien", "'", "Ada"])
def test_a_quote_another_tool_wrote_before_harmless_text_is_kept(cell):
    assert restored(cell) == cell
