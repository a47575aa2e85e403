"""CSV that Excel opens cleanly and safely, byte-identical for the same data.

- UTF-8 with a byte order mark: without it Excel on Windows reads Vietnamese as mojibake.
- RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a comma, quote or line
  break, quotes doubled.
- No formula injection (OWASP "CSV injection"): a text cell starting with ``=``, ``+``, ``-``,
  ``@``, tab or carriage return would be run as a formula by a spreadsheet, so it gets a leading
  apostrophe. Only text cells are touched: a negative *number* is a number, not an attack, and
  must stay one.
- Several tables go into one zip, entries sorted by name with a fixed timestamp and
  permissions, so the archive is byte-identical too.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable

from contest.exporters.tables import Kind, Table, format_value

BOM = "\ufeff"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# 1980-01-01 is the earliest time a zip entry can carry; any fixed value would do.
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)


def neutralise(text: str) -> str:
    """Make a user-derived text cell inert in spreadsheets."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _cells(table: Table, row) -> list[str]:
    cells = []
    for column, value in zip(table.columns, row, strict=True):
        text = format_value(value, column.kind)
        cells.append(neutralise(text) if column.kind is Kind.TEXT else text)
    return cells


def render_csv(table: Table) -> bytes:
    """One table as CSV bytes: header row, then the rows."""
    table.check()
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, dialect="excel", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(header) for header in table.headers])
    for row in table.rows:
        writer.writerow(_cells(table, row))
    return (BOM + buffer.getvalue()).encode("utf-8")


def render_csv_zip(tables: Iterable[Table]) -> bytes:
    """Several tables as a zip of ``<name>.csv`` files."""
    tables = sorted(tables, key=lambda table: table.name)
    names = [table.name for table in tables]
    if len(set(names)) != len(names):
        raise ValueError(f"two tables share a file name: {names}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for table in tables:
            info = zipfile.ZipInfo(f"{table.name}.csv", date_time=ZIP_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix; the default depends on the platform that writes
            info.external_attr = 0o644 << 16
            archive.writestr(info, render_csv(table))
    return buffer.getvalue()
