"""The table every results exporter renders: a title, typed columns with Vietnamese headers, rows.

Services and selectors build :class:`Table` objects once; CSV, .xlsx and PDF render them, so a
column added to the ranking appears in every format and is typed the same way everywhere
(pretix's exporters work the same way). Pure: no ORM.

Column kinds decide how a value is written: numbers stay numbers, dates become dd/mm/yyyy, times
are shown in Vietnam's time zone, and ``TEXT`` is treated as user-derived text, which each
format neutralises in its own way (CSV prefixes an apostrophe, .xlsx forces a string cell).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

# XML 1.0 cannot carry these control characters, so .xlsx writers refuse them; CSV readers choke
# on NUL. Tab, line feed and carriage return are kept: they are legitimate inside a cell.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Excel refuses cells longer than this and then offers to "repair" the whole workbook.
MAX_CELL_CHARS = 32767


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"
    DURATION = "duration"  # seconds, e.g. time used net of pauses; shown as h:mm:ss


_ACCEPTS: dict[Kind, tuple[type, ...]] = {
    Kind.TEXT: (str,),
    Kind.INTEGER: (int,),
    Kind.DECIMAL: (Decimal, int, float),
    Kind.DATE: (date,),
    Kind.DATETIME: (datetime,),
    Kind.BOOLEAN: (bool,),
    Kind.DURATION: (int, float, Decimal),
}


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its Vietnamese header, its kind, and optionally a width in characters."""

    header: str
    kind: Kind = Kind.TEXT
    width: int | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """One table of an export.

    ``name`` is the file name stem in a CSV zip (ASCII, e.g. ``xep-hang-ca-nhan``); ``title``
    is the human title, used for the .xlsx sheet name and PDF headings. ``None`` is an empty
    cell in any column.
    """

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[object]]

    def __post_init__(self):
        if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", self.name):
            raise ValueError(f"table name must be a lower-case ASCII file stem: {self.name!r}")

    @property
    def headers(self) -> list[str]:
        return [column.header for column in self.columns]

    def check(self) -> None:
        """Every row has one value per column, of the column's kind; a clear error otherwise.

        Exporters call this before writing anything, so a wrong row never produces half a file.
        """
        width = len(self.columns)
        for number, row in enumerate(self.rows, start=1):
            if len(row) != width:
                raise ValueError(
                    _("Bảng “%(table)s”, dòng %(row)d: có %(got)d ô, cần %(want)d.")
                    % {"table": self.title, "row": number, "got": len(row), "want": width}
                )
            for column, value in zip(self.columns, row, strict=True):
                if value is None:
                    continue
                accepted = _ACCEPTS[column.kind]
                wrong = not isinstance(value, accepted) or (
                    # bool is an int and datetime is a date: keep the kinds apart.
                    (isinstance(value, bool) and column.kind is not Kind.BOOLEAN)
                    or (isinstance(value, datetime) and column.kind is Kind.DATE)
                )
                if wrong:
                    raise ValueError(
                        _(
                            "Bảng “%(table)s”, dòng %(row)d, cột “%(column)s”: giá trị %(value)r không phải kiểu %(kind)s."
                        )
                        % {
                            "table": self.title,
                            "row": number,
                            "column": column.header,
                            "value": value,
                            "kind": column.kind.value,
                        }
                    )


def clean_text(value: str) -> str:
    """NFC, without the control characters no spreadsheet accepts, and no longer than Excel allows."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", value))
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - 1] + "…"
    return text


def local_datetime(value: datetime) -> datetime:
    """An aware UTC time as a naive Vietnam time: spreadsheets have no time zones."""
    return value.astimezone(VIETNAM).replace(tzinfo=None)


def format_date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime) -> str:
    return local_datetime(value).strftime("%d/%m/%Y %H:%M:%S")


def format_boolean(value: bool) -> str:
    return _("Đúng") if value else _("Sai")


def format_duration(seconds: int | float | Decimal) -> str:
    """Seconds as h:mm:ss (whole seconds, rounded down): 1112 -> "0:18:32"."""
    whole = int(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def format_value(value: object, kind: Kind) -> str:
    """The text a value shows as in CSV and PDF (before any CSV neutralisation)."""
    if value is None:
        return ""
    if kind is Kind.TEXT:
        return clean_text(value)
    if kind is Kind.DATE:
        return format_date(value)
    if kind is Kind.DATETIME:
        return format_datetime(value)
    if kind is Kind.BOOLEAN:
        return format_boolean(value)
    if kind is Kind.DURATION:
        return format_duration(value)
    return str(value)


# -- Per-question breakdown -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuestionCell:
    """One contestant's result on one question: the response as text, correct or not, points."""

    response: str | None
    correct: bool | None
    points: Decimal | None


def breakdown_table(
    *,
    name: str,
    title: str,
    lead_columns: Sequence[Column],
    question_labels: Sequence[str],
    rows: Sequence[tuple[Sequence[object], Sequence[QuestionCell]]],
) -> Table:
    """Contestant × question: the lead columns (code, name, unit …), then for each question
    its response, whether it was correct and the points, three columns side by side."""
    columns = list(lead_columns)
    for label in question_labels:
        columns += [
            Column(_("%(q)s – Trả lời") % {"q": label}, Kind.TEXT),
            Column(_("%(q)s – Đúng") % {"q": label}, Kind.BOOLEAN),
            Column(_("%(q)s – Điểm") % {"q": label}, Kind.DECIMAL),
        ]
    flat_rows = []
    for lead, cells in rows:
        if len(cells) != len(question_labels):
            raise ValueError(
                _("Mỗi thí sinh cần đủ %(n)d câu trong bảng chi tiết.") % {"n": len(question_labels)}
            )
        flat = list(lead)
        for cell in cells:
            flat += [cell.response, cell.correct, cell.points]
        flat_rows.append(flat)
    return Table(name=name, title=title, columns=tuple(columns), rows=flat_rows)
