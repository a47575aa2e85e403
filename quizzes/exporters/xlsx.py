"""Export a bank to .xlsx in the layout the spreadsheet importer reads, and build the
downloadable template from the same layout, so import(export(bank)) gives the bank back.

Every cell is written as a string cell: a question text such as ``=ROUND(J6*$K$11;-3)`` is
content, not a formula, and must survive the round trip unchanged. Per-option feedback,
essay word limits and file-upload questions have no column; :func:`export_xlsx` returns the
questions it could not write so callers can say so.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .. import content
from ..importers import spreadsheet_layout as layout
from ..importers.spreadsheet import default_multiple_fractions
from ..models import Category, Question

SHEET_TITLE = "Câu hỏi"
HEADER_FILL = PatternFill("solid", fgColor="B3261E")
HEADER_FONT = Font(bold=True, color="FFFFFF")


def export_xlsx(bank, path_or_stream) -> list[Question]:
    """Write ``bank``'s current questions (archived ones left out); return those skipped."""
    questions = (
        Question.objects.filter(bank=bank, is_archived=False, current_version__isnull=False)
        .select_related("current_version")
        .prefetch_related("tags")
        .order_by("id")
    )
    paths = _category_paths(bank)
    rows, skipped = [], []
    for question in questions:
        row = question_row(question.current_version, paths.get(question.category_id, ""), question)
        if row is None:
            skipped.append(question)
        else:
            rows.append(row)
    option_count = max(
        [layout.TEMPLATE_OPTION_COUNT] + [sum(1 for key in row if key.startswith("option:")) for row in rows]
    )
    workbook = build_workbook(rows, option_count=option_count)
    workbook.save(path_or_stream)
    return skipped


def write_template(path_or_stream) -> None:
    """The template: headers, one example row, and a sheet explaining every column."""
    workbook = build_workbook([layout.EXAMPLE_ROW])
    guide = workbook.create_sheet(_("Hướng dẫn"))
    guide.append([_("Cột"), _("Cách ghi")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for label, text in layout.INSTRUCTIONS:
        guide.append([str(label), str(text)])
    guide.column_dimensions["A"].width = 30
    guide.column_dimensions["B"].width = 110
    for row in guide.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    workbook.save(path_or_stream)


def build_workbook(
    rows: list[dict[str, str]], *, option_count: int = layout.TEMPLATE_OPTION_COUNT
) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    columns = layout.template_columns(option_count)
    for number, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=number, value=column.header)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(number)].width = column.width
    sheet.freeze_panes = "A2"
    for row_number, row in enumerate(rows, start=2):
        for number, column in enumerate(columns, start=1):
            value = row.get(column.key, "")
            if value:
                _string_cell(sheet, row_number, number, value)
    type_column = get_column_letter(1 + [c.key for c in columns].index("type"))
    names = ",".join(names[0] for names in layout.TYPE_NAMES.values())
    validation = DataValidation(type="list", formula1=f'"{names}"', allow_blank=True)
    validation.error = _("Hãy chọn một loại câu hỏi trong danh sách.")
    validation.errorTitle = _("Loại câu hỏi không hợp lệ")
    validation.add(f"{type_column}2:{type_column}5000")
    sheet.add_data_validation(validation)
    return workbook


def _string_cell(sheet, row: int, column: int, value: str) -> None:
    """A text cell even when the text starts with "=" (openpyxl would make it a formula)."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "s"
    cell.alignment = Alignment(wrap_text=True, vertical="top")


def _category_paths(bank) -> dict[int, str]:
    nodes = {
        pk: (name, parent)
        for pk, name, parent in Category.objects.filter(bank=bank).values_list("id", "name", "parent_id")
    }

    def path(pk):
        parts = []
        while pk is not None and pk in nodes and len(parts) < 50:
            name, pk = nodes[pk]
            parts.append(name)
        return " / ".join(reversed(parts))

    return {pk: path(pk) for pk in nodes}


# --- One question as one row ------------------------------------------------------------


def question_row(version, category_path: str, question) -> dict[str, str] | None:
    """The row for a question version, or None when its type has no spreadsheet form."""
    writer = _WRITERS.get(version.qtype)
    if writer is None:
        return None
    definition = version.definition
    texts = [version.stem_html, version.general_feedback_html, *_html_texts(version.qtype, definition)]
    as_html = any(layout.html_as_plain(text) is None for text in texts if text)

    def cell(html_text: str) -> str:
        return html_text if as_html else (layout.html_as_plain(html_text) or "")

    tags = [tag.name for tag in question.tags.all()]
    difficulty = [name for name in tags if content.tag_kind(name) == "difficulty"]
    row = {
        "type": layout.TYPE_NAMES[version.qtype][0],
        "stem": cell(version.stem_html),
        "points": _number(version.default_points),
        "category": category_path,
        "tags": ", ".join(name for name in tags if name not in difficulty),
        "difficulty": difficulty[0] if difficulty else "",
        "explanation": cell(version.general_feedback_html),
        "name": version.name,
        "idnumber": question.idnumber,
        "format": layout.FORMAT_HTML if as_html else "",
    }
    row.update(writer(definition, cell))
    return row


def _html_texts(qtype: str, definition: dict) -> list[str]:
    if qtype in {"single", "multiple"}:
        return [option["html"] for option in definition.get("options", [])]
    if qtype == "ordering":
        return [item["html"] for item in definition.get("items", [])]
    if qtype == "matching":
        return [pair["html"] for pair in definition.get("pairs", [])]
    return []


def _number(value) -> str:
    """A number as the importer reads it back exactly: no exponent, no trailing zeros."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text


def _percent(fraction: float) -> str:
    return _number(round(fraction * 100, 5)) + "%"


def _options(letters_and_html, cell) -> dict[str, str]:
    return {layout.option_key(letter): cell(text) for letter, text in letters_and_html}


def _single(definition, cell) -> dict[str, str]:
    return _choice(definition, cell, multiple=False)


def _multiple(definition, cell) -> dict[str, str]:
    return _choice(definition, cell, multiple=True)


def _choice(definition, cell, *, multiple: bool) -> dict[str, str]:
    """A plain key ("B", "A,C") when the fractions are the ones it stands for, else weights."""
    options = definition["options"]
    letters = layout.OPTION_LETTERS[: len(options)]
    fractions = {
        letter: float(option.get("fraction", 0)) for letter, option in zip(letters, options, strict=False)
    }
    row = _options(zip(letters, [option["html"] for option in options], strict=False), cell)
    correct = [letter for letter, fraction in fractions.items() if fraction > 0]
    if multiple:
        defaults = default_multiple_fractions(list(letters), correct)
        plain = all(abs(defaults[letter] - fractions[letter]) < 1e-6 for letter in letters)
    else:
        plain = sorted(fractions.values()) == [0.0] * (len(options) - 1) + [1.0]
    if plain and correct:
        row["key"] = ",".join(correct)
    else:
        row["key"] = ",".join(
            f"{letter}={_percent(fraction)}" for letter, fraction in fractions.items() if fraction != 0
        )
    return row


def _truefalse(definition, cell):
    return {"key": "Đúng" if definition.get("correct") else "Sai"}


def _weighted_answer(text: str, fraction: float) -> str:
    return text if abs(fraction - 1.0) < 1e-9 else f"{text}={_percent(fraction)}"


def _short(definition, cell):
    return {
        "key": layout.ANSWER_SEPARATOR.join(
            _weighted_answer(answer["text"], float(answer.get("fraction", 1)))
            for answer in definition["answers"]
        ),
        "case_sensitive": "Có" if definition.get("case_sensitive") else "Không",
        "accent_sensitive": "Có" if definition.get("accent_sensitive", True) else "Không",
    }


def _numeric(definition, cell):
    answers = definition["answers"]
    row = {"type": layout.TYPE_NAMES["prediction"][0]} if definition.get("prediction") else {}
    if len(answers) == 1:
        answer = answers[0]
        tolerance = float(answer.get("tolerance", 0))
        row["key"] = _weighted_answer(_number(answer["value"]), float(answer.get("fraction", 1)))
        row["tolerance"] = _number(tolerance) if tolerance else ""
        return row
    tokens = []
    for answer in answers:
        value, tolerance = Decimal(str(answer["value"])), Decimal(str(answer.get("tolerance", 0)))
        text = f"{_number(value - tolerance)}..{_number(value + tolerance)}" if tolerance else _number(value)
        tokens.append(_weighted_answer(text, float(answer.get("fraction", 1))))
    row["key"] = layout.ANSWER_SEPARATOR.join(tokens)
    return row


def _ordering(definition, cell):
    return _options(
        zip(layout.OPTION_LETTERS, [item["html"] for item in definition["items"]], strict=False), cell
    )


def _matching(definition, cell):
    sides = [f"{cell(pair['html'])} {layout.MATCH_ARROW} {pair['answer']}" for pair in definition["pairs"]]
    sides += [f"{layout.MATCH_ARROW} {answer}" for answer in definition.get("distractors", [])]
    return {
        layout.option_key(letter): text for letter, text in zip(layout.OPTION_LETTERS, sides, strict=False)
    }


def _nothing(definition, cell):
    return {}


_WRITERS = {
    "single": _single,
    "multiple": _multiple,
    "truefalse": _truefalse,
    "short": _short,
    "numeric": _numeric,
    "ordering": _ordering,
    "matching": _matching,
    "essay": _nothing,
    "description": _nothing,
}
