""".xlsx workbooks from :class:`~contest.exporters.tables.Table` objects, one sheet per table.

openpyxl's write-only mode streams rows to disk instead of building every cell object in memory,
which is what lets 2,000 contestants × 40 questions export in seconds (bench/xlsx_export_bench.py).
In that mode column widths and frozen panes must be set before the first row is written.

User text is always a string cell. openpyxl would otherwise turn a value starting with ``=`` into
a formula and one equal to ``#N/A`` (or another error code) into an error cell, so every ``TEXT``
value is written as a cell whose type is forced to string after the value is set.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from contest.exporters.tables import Column, Kind, Table, clean_text, format_boolean, local_datetime

DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM:SS"
# Excel keeps durations as fractions of a day; [h] lets hours run past 24 instead of wrapping.
DURATION_FORMAT = "[h]:mm:ss"
SECONDS_PER_DAY = 86400
SHEET_NAME_MAX = 31
# Excel forbids these in sheet names.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Widths are estimated from the header and the first rows only: good enough, and it keeps a
# 2,000-row export from measuring every cell twice.
_WIDTH_SAMPLE_ROWS = 200
_MIN_WIDTH, _MAX_WIDTH = 6, 50
_KIND_WIDTH = {Kind.DATE: 12, Kind.DATETIME: 20, Kind.BOOLEAN: 8, Kind.DURATION: 10}


def sheet_name(title: str, taken: set[str]) -> str:
    """A valid, unique sheet name from a title: no ``[]:*?/\\``, at most 31 characters, not
    starting or ending with an apostrophe, unique ignoring case (as Excel compares them)."""
    base = _SHEET_FORBIDDEN.sub("-", clean_text(title)).strip().strip("'").strip() or "Trang"
    name = base[:SHEET_NAME_MAX]
    counter = 2
    while name.casefold() in taken:
        suffix = f" ({counter})"
        name = base[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
        counter += 1
    taken.add(name.casefold())
    return name


def _width(column: Column, values: Iterable[object]) -> float:
    if column.width is not None:
        return column.width
    longest = max((len(line) for line in column.header.split("\n")), default=0)
    if column.kind in _KIND_WIDTH:
        longest = max(longest, _KIND_WIDTH[column.kind])
    else:
        longest = max([longest, *(len(str(value)) for value in values if value is not None)])
    return min(_MAX_WIDTH, max(_MIN_WIDTH, longest + 2))


def _cell(sheet, value: object, kind: Kind, booleans: tuple[str, str]):
    """A plain value where openpyxl gets the type right by itself, a styled cell otherwise.
    ``booleans`` are the words for true and false, translated once per sheet, not per cell."""
    if value is None:
        return None
    if kind is Kind.TEXT:
        text = clean_text(value)
        if not text.startswith("=") and text not in ERROR_CODES:
            return text  # openpyxl writes any other str as a string cell; no cell object needed
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"  # never a formula or an error code, whatever the text says
        return cell
    if kind is Kind.DATE:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if kind is Kind.DATETIME:
        cell = WriteOnlyCell(sheet, value=local_datetime(value))
        cell.number_format = DATETIME_FORMAT
        return cell
    if kind is Kind.BOOLEAN:
        return booleans[0] if value else booleans[1]
    if kind is Kind.DURATION:
        cell = WriteOnlyCell(sheet, value=float(value) / SECONDS_PER_DAY)
        cell.number_format = DURATION_FORMAT
        return cell
    return value


def _write_sheet(workbook: Workbook, table: Table, taken: set[str]) -> None:
    sheet = workbook.create_sheet(title=sheet_name(table.title, taken))
    sample = table.rows[:_WIDTH_SAMPLE_ROWS]
    for index, column in enumerate(table.columns):
        width = _width(column, (row[index] for row in sample))
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="center")
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, value=clean_text(column.header))
        cell.data_type = "s"
        cell.font = bold
        cell.alignment = wrap
        header.append(cell)
    sheet.append(header)
    kinds = [column.kind for column in table.columns]
    booleans = (format_boolean(True), format_boolean(False))
    for row in table.rows:
        sheet.append([_cell(sheet, value, kind, booleans) for value, kind in zip(row, kinds, strict=True)])


def render_xlsx(tables: Iterable[Table]) -> bytes:
    """A workbook with one sheet per table, in the order given."""
    tables = list(tables)
    for table in tables:
        table.check()
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    for table in tables:
        _write_sheet(workbook, table, taken)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
