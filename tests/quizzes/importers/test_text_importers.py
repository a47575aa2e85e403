"""Bad and unusual inputs for the text importers and the dispatcher: every problem is reported
with its line, all at once, and nothing is guessed."""

import codecs
import unicodedata

import pytest

from quizzes.importers import MAX_UPLOAD_BYTES, detect_format, parse_upload
from quizzes.importers.text import MAX_TEXT_BYTES, TextDecodeError, decode_text
from quizzes.services import check_import, get_or_create_bank

GIFT = "::Q1::Thủ đô của Việt Nam? {=Hà Nội ~Huế}\n\n::Q2::Máy in là thiết bị xuất.{T}\n"


@pytest.mark.parametrize(
    "data",
    [
        GIFT.encode("utf-8"),
        codecs.BOM_UTF8 + GIFT.encode("utf-8"),
        GIFT.encode("utf-16"),  # with BOM
        GIFT.replace("\n", "\r\n").encode("utf-8"),
        GIFT.replace("\n", "\r").encode("utf-8"),
        unicodedata.normalize("NFD", GIFT).encode("utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "crlf", "cr", "nfd"],
)
def test_it_reads_every_accepted_encoding_and_line_ending_the_same_way(data):
    result = parse_upload(data, "bank.gift")
    assert not result.issues
    assert [q.name for q in result.questions] == ["Q1", "Q2"]
    assert result.questions[0].definition["options"][0]["html"] == "Hà Nội"
    assert result.questions[1].line == 3


@pytest.mark.parametrize("encoding", ["cp1258", "cp1252"])
def test_it_refuses_other_encodings_with_the_line_and_how_to_save_as_utf8(encoding):
    data = "Dong 1 {=A ~B}\n\nCâu húng {=Úng ~Sai}\n".encode(encoding)
    result = parse_upload(data, "bank.gift")
    assert not result.questions and len(result.errors) == 1
    assert result.errors[0].line == 3
    assert "UTF-8" in result.errors[0].message and ".xlsx" in result.errors[0].message


def test_it_refuses_binary_and_oversized_text():
    with pytest.raises(TextDecodeError):
        decode_text(b"abc\x00def")
    with pytest.raises(TextDecodeError) as error:
        decode_text(b"a" * (MAX_TEXT_BYTES + 1))
    assert "MB" in error.value.message
    result = parse_upload(b"x" * (MAX_UPLOAD_BYTES + 1), "big.gift")
    assert result.errors and result.errors[0].line is None


def test_gift_reports_every_error_at_once_with_its_line():
    data = "::A::Thiếu ngoặc {=1 ~2\n\n::B::Tốt {=1 ~2}\n\n::C::Ghép sai {=a -> b =c}\n\n::D::Số {#abc}\n"
    result = parse_upload(data.encode(), "x.gift")
    assert [(e.line, e.is_error) for e in result.errors] == [(1, True), (5, True), (7, True)]
    assert [q.name for q in result.questions] == ["B"]


def test_a_question_without_a_right_answer_is_an_error_at_its_line(edition):
    result = parse_upload(b"::OK::Tot {=1 ~2}\n\n::Sai::Khong co dap an dung {~1 ~2}\n", "x.gift")
    bank = get_or_create_bank(name="B", edition=edition)[0]
    report = check_import(bank=bank, result=result)
    assert [(e.line, e.question_index) for e in report.errors] == [(3, 1)]
    assert report.by_type == {"single": 1}


def test_aiken_reports_a_key_letter_with_no_option_and_an_unfinished_question():
    data = "Câu 1?\nA) Một\nB) Hai\nANSWER: D\n\nCâu 2?\nA) Một\nB) Hai\nANSWER: B\n\nCâu 3?\nA) Một\n"
    result = parse_upload(data.encode(), "x.txt", "aiken")
    assert [(e.line, e.code) for e in result.errors] == [
        (4, "answer_letter_without_option"),
        (11, "question_not_finished"),
    ]
    assert [q.name for q in result.questions] == ["Câu 2?"]


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<quiz><question type="essay"><name><text>&xxe;</text></name>
<questiontext format="html"><text>x</text></questiontext></question></quiz>"""
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b']><quiz><question type="essay"><name><text>&lol9;</text></name></question></quiz>'
)


@pytest.mark.parametrize("data", [XXE, LAUGHS], ids=["external-entity", "billion-laughs"])
def test_xml_with_entities_is_refused_before_any_expansion(data):
    result = parse_upload(data, "bank.xml")
    assert result.format == "moodlexml" and not result.questions
    assert "DTD" in result.errors[0].message


def test_broken_xml_names_its_line():
    result = parse_upload(b'<?xml version="1.0"?>\n<quiz>\n<question type="essay">\n</quiz>\n', "x.xml")
    assert result.errors[0].line == 4


def test_moodle_xml_errors_name_the_question_line():
    data = b"""<?xml version="1.0"?>
<quiz>
  <question type="calculated"><name><text>Q</text></name></question>
  <!-- <question type="fake"> inside a comment does not count -->
  <question type="shortanswer"><name><text>Q2</text></name>
    <questiontext format="html"><text>Hai?</text></questiontext>
    <answer fraction="100"><text>hai</text></answer></question>
  <question type="cloze"><name><text>C</text></name></question>
</quiz>"""
    result = parse_upload(data, "x.xml")
    assert [e.line for e in result.errors] == [3, 8]
    assert result.questions[0].line == 5


def test_a_legacy_word_or_excel_file_is_refused_with_how_to_save_it():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    word = parse_upload(ole, "de-thi.doc")
    assert ".docx" in word.errors[0].message and not word.questions
    assert ".xlsx" in parse_upload(ole, "bang.xls").errors[0].message
    assert ".docx" in parse_upload(ole, "doi-ten.bin").errors[0].message


def test_an_empty_or_unrecognised_file_is_refused():
    assert parse_upload(b"  \n", "x.gift").errors
    assert "Không nhận ra" in parse_upload(b"hello world", "x.dat").errors[0].message
    with pytest.raises(ValueError):
        parse_upload(b"x", "x.gift", "pdf")


@pytest.mark.parametrize(
    ("data", "name", "fmt"),
    [
        (GIFT.encode(), "bank.txt", "gift"),
        (GIFT.encode(), "bank.gift", "gift"),
        (b"Q?\nA) x\nB) y\nANSWER: A\n", "bank.txt", "aiken"),
        (b"<?xml version='1.0'?><quiz></quiz>", "export.txt", "moodlexml"),
        (b"<quiz></quiz>", "bank.xml", "moodlexml"),
        (b"a,b,c\n", "bank.csv", "csv"),
        (b"PK\x03\x04rest", "bank.xlsx", "xlsx"),
        (b"PK\x03\x04rest", "bank.docx", "docx"),
    ],
)
def test_the_format_is_detected_from_content_and_extension(data, name, fmt):
    assert detect_format(data, name) == fmt


@pytest.mark.parametrize(
    ("block", "name", "fmt"),
    [
        ("::a::x{=1 ~2}\n\n", "x.gift", "gift"),
        ("Q?\nA) x\nB) y\nANSWER: A\n", "x.txt", "aiken"),
    ],
)
def test_a_file_with_too_many_questions_is_refused(block, name, fmt, monkeypatch):
    monkeypatch.setattr("quizzes.importers.text.MAX_QUESTIONS_PER_FILE", 5)
    result = parse_upload((block * 8).encode(), name, fmt)
    assert result.errors[-1].line is None and "quá nhiều" in result.errors[-1].message
    assert len(result.questions) == 5


def test_plain_prose_in_a_txt_file_is_not_taken_for_gift():
    assert detect_format("Đoạn văn thứ nhất.\n\nĐoạn văn thứ hai.\n".encode(), "ghi-chu.txt") is None
    assert parse_upload(b"::Mo ta::Chi la mo ta", "x.txt", "gift").questions[0].qtype == "description"
