"""Import questions from .xlsx and CSV files, one row per question (layout in
``spreadsheet_layout``). Pure: bytes in, :class:`ParseResult` out.

Row numbers are the ones Excel shows (the header is row 1; a CSV record spanning several
lines is still one row). Every row is checked and every problem reported; a row with an
error is still listed (so the preview shows it) and marked invalid, so the user can choose
to import the others. Repeated stems are found by ``quizzes.services.check_import``, the same
way for every format.
"""

import csv
import io
import re
import warnings
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from contest.vietnamese import fold_spaces, nfc

from .. import content, question_types
from ..html import sanitise, text_to_html
from . import spreadsheet_layout as layout
from .archive_guard import ArchiveRefused, check_archive
from .base import ParsedQuestion, ParseResult
from .text import TextDecodeError, decode_text

HEADER_SEARCH_ROWS = 10
MAX_ROWS = 20000
NAME_LENGTH = 80


def parse_csv(data: bytes, filename: str = "") -> ParseResult:
    """Parse a CSV file: UTF-8 (with or without BOM) or UTF-16, comma or semicolon separated."""
    result = ParseResult(format="csv")
    try:
        text = decode_text(data)
    except TextDecodeError as exc:
        result.error(exc.line, exc.message)
        return result
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    _parse_rows(((number, row) for number, row in enumerate(rows, start=1)), result)
    return result


def parse_xlsx(data: bytes, filename: str = "") -> ParseResult:
    """Parse the sheet "Câu hỏi" of a workbook (or its first sheet)."""
    import openpyxl  # imported here: loading it costs time every CLI start would pay

    result = ParseResult(format="xlsx")
    try:
        check_archive(data, kind=".xlsx")
    except ArchiveRefused as exc:
        result.error(None, str(exc))
        return result
    try:
        # openpyxl warns about Excel features it drops (extensions, print settings): not ours.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file  # noqa: BLE001
        result.error(None, _("Không đọc được tệp Excel (.xlsx): %(reason)s") % {"reason": exc})
        return result
    try:
        sheet = _question_sheet(workbook)
        rows = (
            (number, [_cell_text(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        _parse_rows(rows, result)
    finally:
        workbook.close()
    return result


def _question_sheet(workbook):
    for sheet in workbook.worksheets:
        if fold_spaces(sheet.title) == "cau hoi":
            return sheet
    return workbook.worksheets[0]


def _cell_text(value) -> str:
    """A cell as the text the user sees; numbers without a spurious ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Đúng" if value else "Sai"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


# --- Rows ---------------------------------------------------------------------------------


def _parse_rows(rows, result: ParseResult) -> None:
    header = None
    first_rows: list[tuple[int, list[str]]] = []
    for number, raw in rows:
        cells = [nfc(str(cell)).strip() for cell in raw]
        if header is None:
            first_rows.append((number, cells))
            header = _find_header(cells)
            if header is None and len(first_rows) >= HEADER_SEARCH_ROWS:
                break
            continue
        if not any(cells):
            continue
        if number > MAX_ROWS:
            result.error(
                number, _("Tệp có quá nhiều dòng (tối đa %(n)d câu hỏi mỗi lần nhập).") % {"n": MAX_ROWS}
            )
            return
        values = {key: cells[index] for index, key in header.items() if index < len(cells)}
        _parse_row(number, values, result)
    if header is None:
        result.error(
            first_rows[0][0] if first_rows else None,
            _("Không tìm thấy dòng tiêu đề có cột “Câu hỏi” (xem tệp mẫu)."),
        )
    elif not result.questions and not result.errors:
        result.error(None, _("Tệp không có câu hỏi nào."))


def _find_header(cells: list[str]) -> dict[int, str] | None:
    """Map column index -> key when this row is a header (it names the stem column)."""
    keys = {index: layout.column_key(cell) for index, cell in enumerate(cells) if cell}
    header = {index: key for index, key in keys.items() if key}
    return header if "stem" in header.values() else None


def _parse_row(number: int, values: dict[str, str], result: ParseResult) -> None:
    index = len(result.questions)
    errors: list[str] = []
    is_html = layout.fold_key(values.get("format", "")) == layout.FORMAT_HTML
    stem_text = values.get("stem", "")
    options = [
        (letter, values.get(layout.option_key(letter), ""))
        for letter in layout.OPTION_LETTERS
        if layout.option_key(letter) in values
    ]
    columns = {letter for letter, _text in options}
    while options and not options[-1][1]:
        options.pop()
    qtype, prediction = _row_type(values, options, errors)
    question = ParsedQuestion(
        qtype=qtype,
        name=values.get("name") or _excerpt(stem_text),
        stem_html=_content(stem_text, is_html),
        definition={},
        line=number,
        general_feedback_html=_content(values.get("explanation", ""), is_html),
        category_path=[part.strip() for part in values.get("category", "").split("/") if part.strip()],
        tags=[tag.strip() for tag in re.split(r"[,;]", values.get("tags", "")) if tag.strip()],
        idnumber=values.get("idnumber", ""),
    )
    if not stem_text:
        errors.append(_("Thiếu nội dung câu hỏi."))
    question.default_points = _points(values.get("points", ""), errors)
    difficulty = values.get("difficulty", "")
    if difficulty:
        if content.tag_kind(difficulty) != "difficulty":
            errors.append(
                _("Độ khó “%(value)s” không hợp lệ (Dễ, Trung bình hoặc Khó).") % {"value": difficulty}
            )
        else:
            question.tags.append(content.canonical_tag(difficulty))
    if qtype:
        builder = _BUILDERS[qtype]
        question.definition = builder(_Row(options, columns, values.get("key", ""), values, is_html, errors))
        if prediction:
            question.definition["prediction"] = True
    if not errors and qtype:
        errors.extend(question_types.validate_definition(qtype, question.definition))
    result.questions.append(question)
    for message in errors:
        result.error(number, message, index)


def _row_type(values, options, errors) -> tuple[str, bool]:
    """(qtype, is a prediction question). Without a type column: single or multiple choice
    by the number of key letters, as in banks exported from other systems."""
    raw = values.get("type", "")
    if not raw:
        if options:
            letters = _key_tokens(values.get("key", ""))
            return ("multiple" if len(letters) > 1 else "single"), False
        errors.append(_("Thiếu loại câu hỏi."))
        return "", False
    name = layout.TYPE_BY_NAME.get(layout.fold_key(raw))
    if name is None:
        errors.append(_("Loại câu hỏi “%(value)s” không hợp lệ.") % {"value": raw})
        return "", False
    if name == "prediction":
        return "numeric", True
    return name, False


def _content(text: str, is_html: bool) -> str:
    return sanitise(text) if is_html else text_to_html(text)


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= NAME_LENGTH else flat[: NAME_LENGTH - 1].rstrip() + "…"


def _decimal(text: str) -> Decimal | None:
    """A number written either way: "3,14" (Vietnamese) or "3.14"."""
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _points(text: str, errors) -> Decimal:
    if not text:
        return Decimal("1")
    value = _decimal(text)
    if value is None or value < 0:
        errors.append(_("Điểm “%(value)s” không hợp lệ.") % {"value": text})
        return Decimal("1")
    return value


# --- Types ---------------------------------------------------------------------------------

_WEIGHTED = re.compile(r"^(.*?)\s*=\s*(-?\d+(?:[.,]\d+)?)\s*%$", re.DOTALL)


def _weighted(token: str) -> tuple[str, float]:
    """ "Hà Nội=50%" -> ("Hà Nội", 0.5); without a weight, full marks."""
    match = _WEIGHTED.match(token)
    if not match:
        return token, 1.0
    return match.group(1).strip(), round(float(match.group(2).replace(",", ".")) / 100, 7)


def _key_tokens(key: str) -> list[str]:
    return [token.strip() for token in re.split(r"[,;\s]+", key) if token.strip()]


def _choice(row: "_Row", *, multiple: bool) -> dict:
    options, errors = row.options, row.errors
    if len(options) < 2:
        errors.append(_("Cần ít nhất hai phương án (cột Phương án A, B…)."))
    letters = [letter for letter, _text in options]
    for letter, text in options:
        if not text:
            errors.append(_("Phương án %(letter)s để trống.") % {"letter": letter})
    weights: dict[str, float | None] = {}
    tokens = _key_tokens(row.key)
    if not tokens:
        errors.append(_("Thiếu đáp án đúng (cột Đáp án đúng)."))
    for token in tokens:
        match = _WEIGHTED.match(token)
        letter = (match.group(1) if match else token).strip().rstrip(".)").upper()
        percent = float(match.group(2).replace(",", ".")) if match else None
        if len(letter) != 1 or letter not in layout.OPTION_LETTERS:
            errors.append(_("Đáp án “%(value)s” không phải là chữ cái của một phương án.") % {"value": token})
            continue
        option_text = dict(options).get(letter, "")
        if not option_text:
            errors.append(
                _("Đáp án là %(letter)s nhưng phương án %(letter)s để trống.") % {"letter": letter}
                if letter in row.option_columns
                else _("Đáp án là %(letter)s nhưng không có phương án %(letter)s.") % {"letter": letter}
            )
            continue
        weights[letter] = round(percent / 100, 7) if percent is not None else None
    if not multiple and len(weights) > 1 and all(w is None for w in weights.values()):
        errors.append(_("Câu một lựa chọn chỉ có một đáp án đúng; dùng loại “Nhiều lựa chọn” nếu có nhiều."))
    fractions = _fractions(letters, weights, multiple)
    return {
        "options": [
            {"id": letter.lower(), "html": row.content(text), "fraction": fractions[letter], "feedback": ""}
            for letter, text in options
        ]
    }


def _fractions(letters, weights: dict[str, float | None], multiple: bool) -> dict[str, float]:
    """Unweighted key letters share 100%; for multiple choice, the wrong options share -100%
    so that ticking everything scores nothing (Moodle's usual "select all that apply")."""
    explicit = {letter: weight for letter, weight in weights.items() if weight is not None}
    plain = [letter for letter, weight in weights.items() if weight is None]
    fractions = dict.fromkeys(letters, 0.0)
    fractions.update(explicit)
    if plain:
        share = 1.0 if not multiple else round(1 / len(plain), 7)
        fractions.update(dict.fromkeys(plain, share))
        if multiple and not explicit:
            wrong = [letter for letter in letters if letter not in weights]
            fractions.update(dict.fromkeys(wrong, round(-1 / len(wrong), 7) if wrong else 0.0))
    return fractions


def default_multiple_fractions(letters: list[str], correct: list[str]) -> dict[str, float]:
    """The fractions a plain "A,C" key gives; exports write plain keys when they match."""
    return _fractions(letters, dict.fromkeys(correct), True)


def _single(row: "_Row"):
    return _choice(row, multiple=False)


def _multiple(row: "_Row"):
    return _choice(row, multiple=True)


def _truefalse(row: "_Row"):
    key = row.key.strip()
    value = layout.parse_yes_no(key)
    if value is None and len(key) == 1 and row.options:
        # "A"/"B" pointing at options written as "Đúng"/"Sai".
        value = layout.parse_yes_no(dict(row.options).get(key.upper(), ""))
    if value is None:
        row.errors.append(
            _("Đáp án của câu Đúng/Sai phải là Đúng hoặc Sai (đang là “%(value)s”).") % {"value": key}
        )
    return {"correct": bool(value), "feedback_true": "", "feedback_false": ""}


def _short(row: "_Row"):
    answers = []
    for token in [part.strip() for part in row.key.split(layout.ANSWER_SEPARATOR) if part.strip()]:
        text, fraction = _weighted(token)
        answers.append({"text": text, "fraction": fraction, "feedback": ""})
    if not answers:
        row.errors.append(_("Thiếu đáp án được chấp nhận (cột Đáp án đúng, cách nhau bởi |)."))
    return {
        "answers": answers,
        "case_sensitive": row.flag("case_sensitive", default=False),
        "accent_sensitive": row.flag("accent_sensitive", default=True),
    }


def _numeric(row: "_Row"):
    tolerance_text = row.values.get("tolerance", "")
    tolerance = _decimal(tolerance_text) if tolerance_text else Decimal(0)
    if tolerance is None or tolerance < 0:
        row.errors.append(_("Sai số “%(value)s” không hợp lệ.") % {"value": tolerance_text})
        tolerance = Decimal(0)
    answers = []
    tokens = [part.strip() for part in row.key.split(layout.ANSWER_SEPARATOR) if part.strip()]
    if not tokens:
        row.errors.append(_("Thiếu đáp án số (cột Đáp án đúng)."))
    for token in tokens:
        text, fraction = _weighted(token)
        bounds = [_decimal(part) for part in text.split("..")] if ".." in text else None
        if bounds and len(bounds) == 2 and None not in bounds and bounds[0] <= bounds[1]:
            low, high = bounds
            value, width = (low + high) / 2, (high - low) / 2
        elif bounds is None and _decimal(text) is not None:
            value, width = _decimal(text), tolerance
        else:
            row.errors.append(
                _("Đáp án số “%(value)s” không hợp lệ (ví dụ 3,14 hoặc 10..20).") % {"value": token}
            )
            continue
        answers.append(
            {"value": float(value), "tolerance": float(width), "fraction": fraction, "feedback": ""}
        )
    return {"answers": answers, "prediction": False}


def _ordering(row: "_Row"):
    return {
        "items": [
            {"id": str(n), "html": row.content(text)}
            for n, (_letter, text) in enumerate(row.options, 1)
            if text
        ]
    }


def _matching(row: "_Row"):
    pairs, distractors = [], []
    for letter, text in row.options:
        if layout.MATCH_ARROW not in text:
            row.errors.append(
                _("Phương án %(letter)s của câu ghép cặp phải có dạng “vế trái => vế phải”.")
                % {"letter": letter}
            )
            continue
        prompt, answer = (part.strip() for part in text.split(layout.MATCH_ARROW, 1))
        if prompt:
            pairs.append({"id": f"p{len(pairs) + 1}", "html": row.content(prompt), "answer": answer})
        else:
            distractors.append(answer)
    return {"pairs": pairs, "distractors": distractors}


def _essay(row: "_Row"):
    return {"min_words": None, "max_words": None}


def _description(row: "_Row"):
    return {}


@dataclass
class _Row:
    """One data row as the type builders see it; they append messages to ``errors``."""

    options: list[tuple[str, str]]  # (letter, text), trailing empty columns dropped
    option_columns: set[str]  # letters that have a column, filled or not
    key: str
    values: dict[str, str]
    is_html: bool
    errors: list[str]

    def content(self, text: str) -> str:
        return _content(text, self.is_html)

    def flag(self, key: str, *, default: bool) -> bool:
        raw = self.values.get(key, "")
        if not raw:
            return default
        value = layout.parse_yes_no(raw)
        if value is None:
            self.errors.append(_("Giá trị “%(value)s” phải là Có hoặc Không.") % {"value": raw})
            return default
        return value


_BUILDERS = {
    "single": _single,
    "multiple": _multiple,
    "truefalse": _truefalse,
    "short": _short,
    "numeric": _numeric,
    "ordering": _ordering,
    "matching": _matching,
    "essay": _essay,
    "description": _description,
}
