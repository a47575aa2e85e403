"""The .xlsx export round-trips through the spreadsheet importer, formulas stay text."""

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from quizzes import services
from quizzes.exporters.xlsx import export_xlsx, write_template
from quizzes.importers.spreadsheet import parse_csv, parse_xlsx
from quizzes.models import Question
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.django_db

REAL_BANK = (
    Path(__file__).resolve().parents[3].parent / "shared/conformance/real_banks/vi_tinhoc_iuh_questions.csv"
)
FORMULA = "=ROUND(J6*$K$11;-3)"

CONTENTS = [
    ("single", "Thủ đô?", {"options": [
        {"id": "a", "html": "Huế", "fraction": 0.0, "feedback": ""},
        {"id": "b", "html": "Hà Nội", "fraction": 1.0, "feedback": ""},
    ]}),
    ("multiple", "Phần mềm văn phòng?", {"options": [
        {"id": "a", "html": "Word", "fraction": 0.5, "feedback": ""},
        {"id": "b", "html": "Excel", "fraction": 0.5, "feedback": ""},
        {"id": "c", "html": "Paint", "fraction": -1.0, "feedback": ""},
    ]}),
    ("multiple", "Trọng số riêng?", {"options": [
        {"id": "a", "html": "<b>Đậm</b>", "fraction": 0.7, "feedback": ""},
        {"id": "b", "html": "Y", "fraction": 0.3, "feedback": ""},
        {"id": "c", "html": "Z", "fraction": 0.0, "feedback": ""},
    ]}),
    ("truefalse", "Excel là bảng tính?", {"correct": False, "feedback_true": "", "feedback_false": ""}),
    ("short", FORMULA, {"answers": [
        {"text": "12000", "fraction": 1.0, "feedback": ""},
        {"text": "12 000", "fraction": 0.5, "feedback": ""},
    ], "case_sensitive": True, "accent_sensitive": False}),
    ("numeric", "Số pi?", {"answers": [{"value": 3.14, "tolerance": 0.01, "fraction": 1.0, "feedback": ""}],
                           "prediction": False}),
    ("numeric", "Hai khoảng?", {"answers": [
        {"value": 15.0, "tolerance": 5.0, "fraction": 1.0, "feedback": ""},
        {"value": 30.0, "tolerance": 0.0, "fraction": 0.5, "feedback": ""},
    ], "prediction": False}),
    ("numeric", "Dự đoán số người?", {"answers": [{"value": 1234.0, "tolerance": 0.0, "fraction": 1.0, "feedback": ""}],
                                      "prediction": True}),
    ("ordering", "Thứ tự?", {"items": [{"id": "1", "html": "Bật máy"}, {"id": "2", "html": "Đăng nhập"}]}),
    ("matching", "Ghép?", {"pairs": [{"id": "p1", "html": "Ctrl+C", "answer": "Sao chép"},
                                    {"id": "p2", "html": "Ctrl+V", "answer": "Dán"}], "distractors": ["Cắt"]}),
    ("essay", "Trình bày\ncách trộn thư.", {"min_words": None, "max_words": None}),
    ("description", "Đọc đoạn sau.", {}),
]  # fmt: skip


@pytest.fixture
def bank(edition):
    bank, _created = services.get_or_create_bank(name="Tin học văn phòng", edition=edition)
    for number, (qtype, stem, definition) in enumerate(CONTENTS, start=1):
        stem_html = stem.replace("\n", "<br>")
        services.create_question(
            bank=bank,
            content=services.QuestionContent(
                qtype=qtype,
                name=f"Câu {number}",
                stem_html=stem_html,
                definition=definition,
                general_feedback_html="Giải thích <i>ngắn</i>" if number == 1 else "",
                default_points=Decimal("0.5") if number == 2 else Decimal("1"),
            ),
            tags=["IU04", "dễ", "Excel"] if number == 1 else (),
            idnumber=f"Q{number}",
        )
    return bank


def exported(bank) -> bytes:
    buffer = io.BytesIO()
    assert export_xlsx(bank, buffer) == []
    return buffer.getvalue()


def test_importing_an_export_gives_the_same_questions(bank):
    result = parse_xlsx(exported(bank), "export.xlsx")
    assert result.errors == []
    originals = Question.objects.filter(bank=bank).select_related("current_version").order_by("id")
    assert len(result.questions) == len(originals)
    for parsed, question in zip(result.questions, originals, strict=True):
        version = question.current_version
        assert (parsed.qtype, parsed.name, parsed.idnumber) == (
            version.qtype,
            version.name,
            question.idnumber,
        )
        assert parsed.stem_html == version.stem_html
        assert parsed.definition == version.definition, version.name
        assert parsed.general_feedback_html == version.general_feedback_html
        assert parsed.default_points == version.default_points
    first = result.questions[0]
    assert sorted(first.tags) == ["Excel", "IU04", "dễ"]


def test_question_text_is_written_as_a_string_cell_not_a_formula(bank):
    sheet = openpyxl.load_workbook(io.BytesIO(exported(bank))).active
    stems = [row[1] for row in sheet.iter_rows(min_row=2)]
    formula_cells = [cell for cell in stems if cell.value == FORMULA]
    assert len(formula_cells) == 1
    assert formula_cells[0].data_type == "s"


def test_the_template_has_vietnamese_headers_an_example_and_type_validation():
    buffer = io.BytesIO()
    write_template(buffer)
    workbook = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    sheet = workbook["Câu hỏi"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:4] == ["Loại câu hỏi", "Câu hỏi", "Phương án A", "Phương án B"]
    assert "Đáp án đúng" in headers
    assert sheet.freeze_panes == "A2"
    assert str(sheet.data_validations.dataValidation[0].sqref) == "A2:A5000"
    assert "Hướng dẫn" in workbook.sheetnames
    result = parse_xlsx(buffer.getvalue(), "mau.xlsx")
    assert result.errors == []
    assert len(result.questions) == 1


def test_the_real_bank_imports_719_questions_with_the_skip_choice(edition):
    if not REAL_BANK.exists():
        skip_or_fail("the shared conformance corpus is absent")
    bank, _created = services.get_or_create_bank(name="IUH", edition=edition)
    result = parse_csv(REAL_BANK.read_bytes(), REAL_BANK.name)
    refused = services.import_questions(bank=bank, result=result, skip_invalid=False)
    assert not refused.written
    assert [(i.line, i.message) for i in refused.errors] == [(118, "Đáp án là D nhưng phương án D để trống.")]
    repeated = [i for i in refused.warnings if "trùng" in i.message]
    assert len(repeated) >= 17
    assert Question.objects.filter(bank=bank).count() == 0

    report = services.import_questions(bank=bank, result=result, skip_invalid=True)
    assert report.written
    assert report.imported == 719
    assert Question.objects.filter(bank=bank).count() == 719
    assert not Question.objects.filter(bank=bank, idnumber="117").exists()
