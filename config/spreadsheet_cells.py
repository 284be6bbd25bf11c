"""CSV cells that a spreadsheet would run as formulas, neutralized on the way out and restored on the way in.

A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel, LibreOffice and Google
Sheets as a formula (a student named ``=HYPERLINK(…)`` becomes a live link; worse formulas have run commands). As
OWASP's CSV injection advice says, such a cell is written with a single quote in front, which spreadsheets show as
text. So that a file written here reads back exactly as it was written, a cell that itself begins with a quote gets
one more; ``restored`` takes off the one quote ``neutralized`` added, and leaves every other cell as it is (a
quoted cell from another tool is taken as that tool meant it too: the formula shown as text).
"""

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralized(cell: str) -> str:
    return QUOTE + cell if cell.startswith((*DANGEROUS, QUOTE)) else cell


def restored(cell: str) -> str:
    return cell[1:] if cell.startswith(QUOTE) and cell[1:].startswith((*DANGEROUS, QUOTE)) else cell
