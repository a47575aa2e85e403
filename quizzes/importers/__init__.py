"""Question importers: parse -> validate everything -> write once (see ``base``).

:func:`parse_upload` is the one entry point for the web upload and the command. Parsers are
registered by format name as dotted paths and loaded lazily, so one format's dependencies
(openpyxl, python-docx) are imported only when that format is used. Every parser has the
signature ``(data: bytes, filename: str) -> ParseResult`` and never touches the database.
"""

import zipfile
from io import BytesIO
from pathlib import PurePath

from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .base import ImportIssue, ParsedQuestion, ParseResult
from .text import TextDecodeError, decode_text

PARSERS = {
    "gift": "quizzes.importers.gift.parse_gift",
    "aiken": "quizzes.importers.aiken.parse_aiken",
    "moodlexml": "quizzes.importers.moodlexml.parse_moodlexml",
    "xlsx": "quizzes.importers.spreadsheet.parse_xlsx",
    "csv": "quizzes.importers.spreadsheet.parse_csv",
    "docx": "quizzes.importers.docx.parse_docx",
}
FORMATS = tuple(PARSERS)
#: Largest upload of any format (spreadsheets and Word files with images).
MAX_UPLOAD_BYTES = 25 * 1024 * 1024

_EXTENSIONS = {
    ".gift": "gift",
    ".aiken": "aiken",
    ".xml": "moodlexml",
    ".xlsx": "xlsx",
    ".csv": "csv",
    ".docx": "docx",
}
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls

__all__ = [
    "FORMATS",
    "PARSERS",
    "ImportIssue",
    "ParseResult",
    "ParsedQuestion",
    "detect_format",
    "parse_upload",
]


def parse_upload(data: bytes, filename: str, fmt: str = "auto") -> ParseResult:
    """Parse an uploaded file into questions and issues; writes nothing.

    ``fmt`` is "auto" or one of :data:`FORMATS` (anything else is a programming or usage
    error: ValueError). A file that cannot be read at all comes back as a result with one
    error and no questions.
    """
    if fmt != "auto" and fmt not in PARSERS:
        raise ValueError(f"unknown import format {fmt!r}")
    if len(data) > MAX_UPLOAD_BYTES:
        return _refused(fmt, _("Tệp quá lớn (tối đa %(max)d MB).") % {"max": MAX_UPLOAD_BYTES // 1048576})
    if not data.strip():
        return _refused(fmt, _("Tệp rỗng, không có câu hỏi nào."))
    refusal = _legacy_office_refusal(data, filename)
    if refusal:
        return _refused(fmt, refusal)
    if fmt == "auto":
        fmt = detect_format(data, filename)
        if fmt is None:
            return _refused(
                "auto",
                _(
                    "Không nhận ra định dạng của tệp %(name)s. Hãy dùng GIFT (.gift/.txt), Aiken (.txt), "
                    "Moodle XML (.xml), Excel (.xlsx), CSV (.csv) hoặc Word (.docx), hoặc chọn định dạng."
                )
                % {"name": filename},
            )
    try:
        parser = import_string(PARSERS[fmt])
    except ImportError:
        return _refused(fmt, _("Định dạng %(fmt)s chưa được hỗ trợ trên máy chủ này.") % {"fmt": fmt})
    return parser(data, filename)


def _refused(fmt: str, message: str, line: int | None = None) -> ParseResult:
    result = ParseResult(format=fmt)
    result.error(line, message)
    return result


def _legacy_office_refusal(data: bytes, filename: str) -> str | None:
    suffix = PurePath(filename or "").suffix.lower()
    if data.startswith(_OLE2_MAGIC) or suffix in {".doc", ".xls"}:
        if suffix == ".xls":
            return _(
                "Tệp Excel cũ (.xls) không được hỗ trợ. Hãy mở tệp trong Excel, chọn Tệp > Lưu thành "
                '(File > Save As), kiểu tệp "Excel Workbook (*.xlsx)", rồi tải tệp .xlsx lên.'
            )
        return _(
            "Tệp Word cũ (.doc) không được hỗ trợ. Hãy mở tệp trong Word, chọn Tệp > Lưu thành "
            '(File > Save As), kiểu tệp "Word Document (*.docx)", rồi tải tệp .docx lên.'
        )
    return None


def detect_format(data: bytes, filename: str) -> str | None:
    """The format of an upload from its content, with the extension as a tie-breaker."""
    suffix = PurePath(filename or "").suffix.lower()
    if data.startswith(b"PK\x03\x04"):
        # The extension decides when it names a zip format; only otherwise is the directory read.
        return _EXTENSIONS[suffix] if suffix in {".xlsx", ".docx"} else _zip_format(data)
    try:
        text = decode_text(data)
    except TextDecodeError:
        # Let the extension's parser report the encoding problem with its line number.
        return _EXTENSIONS.get(suffix, "gift" if suffix == ".txt" else None)
    head = text.lstrip()[:200].lower()
    if head.startswith(("<?xml", "<quiz")):
        return "moodlexml"
    if suffix in {".gift", ".aiken", ".csv", ".xml"}:
        return _EXTENSIONS[suffix]
    if _looks_like_aiken(text):
        return "aiken"
    # Plain prose in a .txt would read as GIFT descriptions only: ask for the format instead.
    if "{" in text or "$category:" in text.lower():
        return "gift"
    return None


def _zip_format(data: bytes) -> str | None:
    """docx or xlsx from the zip's directory (read without inflating any entry)."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist()[:5000])
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def _looks_like_aiken(text: str) -> bool:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    answers = sum(1 for line in lines if line.upper().startswith("ANSWER:"))
    return answers > 0 and "{" not in text and answers * 3 <= len(lines)
