"""The Word importer: the layouts Vietnamese organisers use, keys by line or formatting."""

import pytest

from quizzes.importers import parse_upload
from quizzes.importers.docx import parse_docx

from .docx_builders import DocBuilder, tiny_png

B, U, RED, HL = {"bold"}, {"underline"}, {"red"}, {"highlight"}


def fractions(question):
    return {o["id"]: o["fraction"] for o in question.definition["options"]}


def texts(question):
    return [o["html"] for o in question.definition["options"]]


def test_it_reads_typed_numbers_multi_line_stems_and_a_key_line():
    doc = DocBuilder()
    doc.para(("ĐỀ THI TRẮC NGHIỆM TIN HỌC", B))
    doc.para("Câu 1: Trong Excel, hàm nào")
    doc.para("dùng để tính tổng?")
    for line in ("A. SUM", "B. AVERAGE", "C. COUNT", "D. MAX"):
        doc.para(line)
    doc.para("Đáp án: A")
    doc.para("Câu 2. Phím tắt sao chép?")
    doc.para("A. Ctrl+C\tB. Ctrl+V\tC. Ctrl+X\tD. Ctrl+Z")
    doc.para("Đáp án: A")
    doc.para("Câu hỏi 3: Chọn các phần mềm bảng tính")
    doc.para("a) Excel")
    doc.para("b) Calc")
    doc.para("c) Paint")
    doc.para("Đáp án: A, B")
    doc.para("Giải thích: Excel và Calc là bảng tính.")
    result = parse_docx(doc.bytes(), "de.docx")
    assert result.errors == []
    first, second, third = result.questions
    assert first.stem_html == "Trong Excel, hàm nào<br>dùng để tính tổng?"
    assert first.line == 2
    assert texts(first) == ["SUM", "AVERAGE", "COUNT", "MAX"]
    assert fractions(first) == {"a": 1.0, "b": 0.0, "c": 0.0, "d": 0.0}
    assert texts(second) == ["Ctrl+C", "Ctrl+V", "Ctrl+X", "Ctrl+Z"]
    assert third.qtype == "multiple"
    assert fractions(third) == {"a": 0.5, "b": 0.5, "c": -1.0}
    assert third.general_feedback_html == "Excel và Calc là bảng tính."


@pytest.mark.parametrize("mark", [B, U, RED, HL])
def test_the_key_can_be_the_option_in_bold_underline_red_or_highlight(mark):
    doc = DocBuilder()
    doc.para("Câu 1: Thủ đô của Việt Nam?")
    doc.para("A. Huế")
    doc.para(("B. ", set()), ("Hà Nội", mark))
    doc.para("C. Đà Nẵng")
    result = parse_docx(doc.bytes(), "de.docx")
    assert result.errors == []
    question = result.questions[0]
    assert fractions(question) == {"a": 0.0, "b": 1.0, "c": 0.0}
    # The mark that gave the key away is not shown to contestants.
    assert texts(question) == ["Huế", "Hà Nội", "Đà Nẵng"]


def test_options_on_one_line_keep_their_own_formatting_for_the_key():
    doc = DocBuilder()
    doc.para("Câu 1: 2 + 2 = ?")
    doc.para("A. 3    ", ("B. 4", B), "    C. 5    D. 6")
    result = parse_docx(doc.bytes(), "de.docx")
    assert result.errors == []
    assert fractions(result.questions[0]) == {"a": 0.0, "b": 1.0, "c": 0.0, "d": 0.0}


def test_the_key_can_be_marked_on_its_letter_only():
    doc = DocBuilder()
    doc.para("Câu 1: Thủ đô của Việt Nam?")
    doc.para("A. Huế")
    doc.para(("B.", RED), " Hà Nội")
    result = parse_docx(doc.bytes(), "de.docx")
    assert result.errors == []
    assert fractions(result.questions[0]) == {"a": 0.0, "b": 1.0}


def test_all_options_in_bold_is_not_a_key():
    doc = DocBuilder()
    doc.para("Câu 1: Câu hỏi?")
    doc.para(("A. Một", B))
    doc.para(("B. Hai", B))
    result = parse_docx(doc.bytes(), "de.docx")
    assert [e.line for e in result.errors] == [1]
    assert "không xác định được đáp án" in result.errors[0].message


def test_automatic_numbering_for_questions_and_options():
    doc = DocBuilder()
    doc.para("Hệ điều hành nào của Microsoft?", numbering=("questions", 0))
    doc.para("Windows", numbering=("questions", 1))
    doc.para(("Linux", RED), numbering=("questions", 1))
    doc.para("Đáp án: A")
    doc.para("Đơn vị đo dung lượng nhỏ nhất?", numbering=("questions", 0))
    doc.para("Byte", numbering=("letters", 0))
    doc.para(("Bit", U), numbering=("letters", 0))
    result = parse_docx(doc.bytes(), "de.docx")
    assert result.errors == []
    first, second = result.questions
    assert first.stem_html == "Hệ điều hành nào của Microsoft?"
    assert texts(first) == ["Windows", "Linux"]
    assert fractions(first) == {"a": 1.0, "b": 0.0}  # the key line wins over the colour
    assert texts(second) == ["Byte", "Bit"]
    assert fractions(second) == {"a": 0.0, "b": 1.0}


def test_options_in_a_two_by_two_table():
    doc = DocBuilder()
    doc.para("Câu 1: Phần mềm trình chiếu?")
    doc.table([["A. Word", ("B. PowerPoint", B)], ["C. Excel", "D. Access"]])
    doc.para("Câu 2: Trình duyệt web?")
    doc.table([["Chrome", "Word", "Excel", "Paint"]], numbering=("letters", 0))
    doc.para("Đáp án: A")
    doc.para("Câu 3: Bảng sau có mấy cột?")
    doc.table([["Họ tên", "Đơn vị"], ["An", "QHK"]])
    doc.para("A. 2")
    doc.para("B. 3")
    doc.para("Đáp án: A")
    result = parse_docx(doc.bytes(), "de.docx")
    assert result.errors == []
    first, second, third = result.questions
    assert texts(first) == ["Word", "PowerPoint", "Excel", "Access"]
    assert fractions(first)["b"] == 1.0
    assert texts(second) == ["Chrome", "Word", "Excel", "Paint"]
    assert fractions(second)["a"] == 1.0
    assert "<table><tbody><tr><td>Họ tên</td>" in third.stem_html
    assert texts(third) == ["2", "3"]


def test_images_are_kept_as_media_references():
    doc = DocBuilder()
    doc.para("Câu 1: Biểu tượng sau là của phần mềm nào?")
    doc.image()
    doc.para("A. Word")
    doc.para("B. Excel")
    doc.para("Đáp án: B")
    result = parse_docx(doc.bytes(), "de.docx")
    assert result.errors == []
    question = result.questions[0]
    (key,) = question.media
    assert f'<img src="media:{key}" alt="">' in question.stem_html
    data, content_type, _name = question.media[key]
    assert data == tiny_png()
    assert content_type == "image/png"


def test_every_error_is_reported_with_its_paragraph_number():
    doc = DocBuilder()
    doc.para("Câu 1: Không có phương án?")  # paragraph 1
    doc.para("Câu 2: Đáp án ngoài phương án?")  # 2
    doc.para("A. X")
    doc.para("B. Y")
    doc.para("Đáp án: E")  # 5
    doc.para("Câu 3: Chưa có đáp án?")  # 6
    doc.para("A. X")
    doc.para("B. Y")
    doc.para("Câu 4: Câu đúng?")
    doc.para("A. X")
    doc.para("B. Y")
    doc.para("Đáp án: B")
    result = parse_docx(doc.bytes(), "de.docx")
    assert [(e.line, e.question_index) for e in result.errors] == [(1, 0), (5, 1), (6, 2)]
    assert result.errors[0].message == "Câu 1: không có phương án trả lời (A., B., …)."
    assert result.errors[1].message == "Câu 2: đáp án là E nhưng không có phương án E."
    assert result.invalid_indexes() == {0, 1, 2}
    assert len(result.questions) == 4


def test_a_text_key_without_options_is_a_short_answer_question():
    doc = DocBuilder()
    doc.para("Câu 1: Thủ đô của Việt Nam là gì?")
    doc.para("Đáp án: Hà Nội | Ha Noi")
    result = parse_docx(doc.bytes(), "de.docx")
    assert result.errors == []
    question = result.questions[0]
    assert question.qtype == "short"
    assert [a["text"] for a in question.definition["answers"]] == ["Hà Nội", "Ha Noi"]


def test_a_stem_mentioning_a_letter_is_not_an_option_line():
    doc = DocBuilder()
    doc.para("Câu 1: Vitamin")
    doc.para("C. là gì? Chọn ý đúng")
    doc.para("A. Một chất")
    doc.para("B. Một màu")
    doc.para("Đáp án: A")
    result = parse_docx(doc.bytes(), "de.docx")
    assert result.errors == []
    assert texts(result.questions[0]) == ["Một chất", "Một màu"]


def test_a_legacy_doc_is_refused_with_how_to_save_as_docx():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    result = parse_upload(ole, "de-thi.doc")
    assert result.questions == []
    assert len(result.errors) == 1
    assert ".docx" in result.errors[0].message
    assert "Lưu thành" in result.errors[0].message


def test_a_damaged_docx_is_refused():
    result = parse_docx(b"PK\x03\x04garbage", "x.docx")
    assert len(result.errors) == 1
    assert result.questions == []


def test_the_dispatcher_routes_docx_files_here():
    doc = DocBuilder()
    doc.para("Câu 1: Hai cộng hai?")
    doc.para("A. 4")
    doc.para("B. 5")
    doc.para("Đáp án: A")
    result = parse_upload(doc.bytes(), "de.docx")
    assert result.format == "docx"
    assert len(result.questions) == 1


@pytest.mark.django_db
def test_an_imported_image_is_stored_once_and_referenced_by_its_hash(edition):
    from quizzes import services
    from quizzes.models import QuestionMedia

    doc = DocBuilder()
    doc.para("Câu 1: Biểu tượng nào?")
    doc.image()
    doc.para("A. Word")
    doc.para("B. Excel")
    doc.para("Đáp án: B")
    bank, _created = services.get_or_create_bank(name="Word", edition=edition)
    report = services.import_questions(
        bank=bank, result=parse_docx(doc.bytes(), "de.docx"), skip_invalid=False
    )
    assert report.written
    media = QuestionMedia.objects.get(bank=bank)
    assert media.content_type == "image/png"
    question = bank.questions.get()
    assert f'src="media:{media.sha256}"' in question.current_version.stem_html
