"""The .xlsx/CSV importer: one row per question, Vietnamese headers, errors by Excel row."""

import codecs
import io
from pathlib import Path

import openpyxl
import pytest

from quizzes.importers.spreadsheet import parse_csv, parse_xlsx
from tests.conftest import skip_or_fail

CONFORMANCE = Path(__file__).resolve().parents[3].parent / "shared" / "conformance" / "real_banks"
REAL_BANK = CONFORMANCE / "vi_tinhoc_iuh_questions.csv"

HEADER = [
    "Loại câu hỏi",
    "Câu hỏi",
    "Phương án A",
    "Phương án B",
    "Phương án C",
    "Phương án D",
    "Đáp án đúng",
]


def xlsx(rows, extra_header=()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([*HEADER, *extra_header])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def errors_by_row(result):
    return [(issue.line, issue.message) for issue in result.errors]


@pytest.fixture(scope="module")
def real_bank():
    if not REAL_BANK.exists():
        skip_or_fail("the shared conformance corpus is absent")
    return parse_csv(REAL_BANK.read_bytes(), REAL_BANK.name)


def test_the_real_720_question_bank_has_exactly_one_error_at_row_118(real_bank):
    assert len(real_bank.questions) == 720
    assert errors_by_row(real_bank) == [(118, "Đáp án là D nhưng phương án D để trống.")]
    assert len(real_bank.questions) - len(real_bank.invalid_indexes()) == 719


def test_the_real_bank_columns_are_mapped(real_bank):
    first = real_bank.questions[0]
    assert first.qtype == "single"
    assert first.line == 2
    assert first.idnumber == "1"
    assert first.category_path == ["Công nghệ thông tin"]
    assert first.stem_html == "Phần cứng máy tính là gì?"
    assert [o["fraction"] for o in first.definition["options"]] == [1.0, 0.0, 0.0, 0.0]
    assert first.definition["options"][0]["html"].startswith("Các bộ phận cụ thể")


def test_it_reads_every_type_from_an_xlsx_workbook():
    data = xlsx(
        [
            ["Một lựa chọn", "Thủ đô của Việt Nam?", "Huế", "Hà Nội", "", "", "B"],
            ["Nhiều lựa chọn", "Phần mềm văn phòng?", "Word", "Excel", "Paint", "", "A,B"],
            ["Đúng/Sai", "Excel là bảng tính.", "", "", "", "", "Đúng"],
            ["Trả lời ngắn", "Thủ đô?", "", "", "", "", "Hà Nội|Ha Noi"],
            ["Số", "Số pi?", "", "", "", "", "3,14"],
            ["Dự đoán", "Bao nhiêu người dự thi?", "", "", "", "", "1234"],
            ["Tự luận", "Trình bày cách trộn thư.", "", "", "", "", ""],
            ["Sắp xếp thứ tự", "Thứ tự khởi động?", "Bật nguồn", "Đăng nhập", "", "", ""],
            ["Ghép cặp", "Ghép phím tắt.", "Ctrl+C => Sao chép", "Ctrl+V => Dán", "=> Cắt", "", ""],
            ["Đoạn mô tả", "Đọc đoạn sau.", "", "", "", "", ""],
        ]
    )
    result = parse_xlsx(data, "bank.xlsx")
    assert result.errors == []
    by_type = {q.qtype: q for q in result.questions}
    assert [o["fraction"] for o in by_type["single"].definition["options"]] == [0.0, 1.0]
    assert [o["fraction"] for o in by_type["multiple"].definition["options"]] == [0.5, 0.5, -1.0]
    assert by_type["truefalse"].definition["correct"] is True
    assert [a["text"] for a in by_type["short"].definition["answers"]] == ["Hà Nội", "Ha Noi"]
    numeric = [q for q in result.questions if q.qtype == "numeric"]
    assert numeric[0].definition["answers"][0]["value"] == 3.14
    assert numeric[1].definition["prediction"] is True
    assert [i["html"] for i in by_type["ordering"].definition["items"]] == ["Bật nguồn", "Đăng nhập"]
    assert by_type["matching"].definition == {
        "pairs": [
            {"id": "p1", "html": "Ctrl+C", "answer": "Sao chép"},
            {"id": "p2", "html": "Ctrl+V", "answer": "Dán"},
        ],
        "distractors": ["Cắt"],
    }
    assert {q.line for q in result.questions} == set(range(2, 12))


def test_it_reports_every_bad_row_with_its_excel_row_number():
    data = xlsx(
        [
            ["Một lựa chọn", "Không có đáp án?", "X", "Y", "", "", ""],
            ["Một lựa chọn", "Đáp án ngoài phương án?", "X", "Y", "", "", "E"],
            ["Câu đố", "Loại lạ?", "X", "Y", "", "", "A"],
            ["Số", "Không phải số?", "", "", "", "", "ba"],
            ["Đúng/Sai", "Chưa rõ?", "", "", "", "", "Có lẽ"],
            ["Một lựa chọn", "", "X", "Y", "", "", "A"],
            ["Một lựa chọn", "Câu đúng", "X", "Y", "", "", "A"],
        ]
    )
    result = parse_xlsx(data, "bad.xlsx")
    assert [line for line, _message in errors_by_row(result)] == [2, 3, 4, 5, 6, 7]
    messages = dict(errors_by_row(result))
    assert messages[2] == "Thiếu đáp án đúng (cột Đáp án đúng)."
    assert messages[3] == "Đáp án là E nhưng không có phương án E."
    assert "Câu đố" in messages[4]
    assert "ba" in messages[5]
    assert messages[7] == "Thiếu nội dung câu hỏi."
    assert result.invalid_indexes() == {0, 1, 2, 3, 4, 5}
    assert len(result.questions) == 7


def test_a_formula_typed_as_question_text_stays_text():
    result = parse_xlsx(xlsx([["Trả lời ngắn", "=ROUND(J6*$K$11;-3)", "", "", "", "", "12000"]]), "f.xlsx")
    assert result.errors == []
    assert result.questions[0].stem_html == "=ROUND(J6*$K$11;-3)"


def test_plain_text_is_escaped_and_html_rows_are_sanitised():
    data = xlsx(
        [
            ["Một lựa chọn", "Thẻ <b> dùng để\nlàm gì?", "In đậm", "Nghiêng", "", "", "A", ""],
            ["Một lựa chọn", "<b>Đậm</b><script>alert(1)</script>", "x", "y", "", "", "A", "html"],
        ],
        extra_header=["Định dạng"],
    )
    result = parse_xlsx(data, "h.xlsx")
    assert result.questions[0].stem_html == "Thẻ &lt;b&gt; dùng để<br>làm gì?"
    assert result.questions[1].stem_html == "<b>Đậm</b>"


def test_text_is_normalised_to_nfc():
    decomposed = "Tin ho\u0323c"
    result = parse_xlsx(xlsx([["Tự luận", decomposed, "", "", "", "", ""]]), "n.xlsx")
    assert result.questions[0].stem_html == "Tin học"


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", ","), ("utf-16", ";")],
)
def test_csv_in_utf8_or_utf16_with_comma_or_semicolon(encoding, delimiter):
    lines = [
        delimiter.join(["Câu hỏi", "A", "B", "Đáp án", "Điểm"]),
        delimiter.join(['"Câu 1, có dấu phẩy"', "Có", "Không", "A", '"0,5"']),
    ]
    result = parse_csv("\r\n".join(lines).encode(encoding), "x.csv")
    assert result.errors == []
    question = result.questions[0]
    assert question.stem_html == "Câu 1, có dấu phẩy"
    assert str(question.default_points) == "0.5"


def test_a_windows_1258_csv_is_refused_with_how_to_save_as_utf8():
    # Only letters Windows-1258 has precomposed, so the bytes are exactly what Word would save.
    data = "Câu hoi,A,B,Đáp án\nMáy tính là gi?,X,Y,A\n".encode("cp1258")
    result = parse_csv(data, "cu.csv")
    assert result.questions == []
    assert len(result.errors) == 1
    assert "UTF-8" in result.errors[0].message


def test_english_headers_are_understood():
    data = "question,option a,option b,correct,difficulty,tags,category\nQ?,x,y,b,easy,Excel;Word,IU04 / Bảng tính\n"
    result = parse_csv(data.encode(), "en.csv")
    assert result.errors == []
    question = result.questions[0]
    assert question.tags == ["Excel", "Word", "dễ"]
    assert question.category_path == ["IU04", "Bảng tính"]


def test_a_file_without_a_header_row_is_refused():
    result = parse_csv(b"a,b,c\n1,2,3\n", "x.csv")
    assert "Câu hỏi" in result.errors[0].message


def test_a_corrupt_xlsx_is_refused_with_one_error():
    result = parse_xlsx(b"PK\x03\x04 not really a workbook", "x.xlsx")
    assert len(result.errors) == 1
    assert result.questions == []


def test_a_bom_is_not_part_of_the_first_header():
    data = codecs.BOM_UTF8 + "Câu hỏi,A,B,Đáp án\nQ,x,y,A\n".encode()
    assert parse_csv(data, "b.csv").errors == []
