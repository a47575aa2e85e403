"""Round trips: importing an export gives the same bank, for every type each format can say."""

from decimal import Decimal

import pytest

from quizzes import selectors, services
from quizzes.exporters import export_file, export_text
from quizzes.exporters.common import export_items
from quizzes.importers import parse_upload
from quizzes.services import QuestionContent

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def _options(*pairs):
    return [
        {"id": chr(ord("a") + i), "html": html, "fraction": fraction, "feedback": feedback}
        for i, (html, fraction, feedback) in enumerate(pairs)
    ]


QUESTIONS = [
    (
        "single",
        "Phím tắt: sao chép",
        "Phím tắt nào <b>sao chép</b> văn bản? Dấu đặc biệt: { } = ~ # : \\ ",
        {
            "options": _options(
                ("Ctrl + C", 1.0, "Đúng!"), ("Ctrl + V", 0.0, ""), ("Ctrl + X", 0.0, "Đó là cắt")
            )
        },
        ["IU02", "dễ"],
        ["IU02", "Phím tắt"],
    ),
    (
        "single",
        "Đơn vị đo",
        "1 KB bằng bao nhiêu byte?",
        {"options": _options(("1024", 1.0, ""), ("1000", 0.5, "Gần đúng"), ("8", -0.5, ""))},
        ["IU01"],
        ["IU01"],
    ),
    (
        "multiple",
        "Trình duyệt",
        "Những phần mềm nào là trình duyệt web?",
        {
            "options": _options(
                ("Firefox", 0.5, ""), ("Chrome", 0.5, ""), ("Excel", -1.0, "Sai"), ("Word", 0.0, "")
            )
        },
        ["IU06", "trung bình"],
        ["IU06"],
    ),
    (
        "truefalse",
        "Tệp PDF",
        "Tệp .pdf mở được bằng trình duyệt.",
        {"correct": True, "feedback_true": "Đúng vậy", "feedback_false": "Sai rồi"},
        [],
        [],
    ),
    (
        "short",
        "Thủ đô",
        "Thủ đô của Việt Nam là?",
        {
            "answers": [
                {"text": "Hà Nội", "fraction": 1.0, "feedback": ""},
                {"text": "Ha*", "fraction": 0.5, "feedback": "Gần đúng"},
            ],
            "case_sensitive": False,
            "accent_sensitive": False,
        },
        ["khó"],
        [],
    ),
    (
        "numeric",
        "Số pi",
        "Giá trị của số pi (2 chữ số thập phân)?",
        {
            "answers": [
                {"value": 3.14, "tolerance": 0.005, "fraction": 1.0, "feedback": "Tốt"},
                {"value": None, "tolerance": None, "fraction": 0.0, "feedback": "Sai"},
            ],
            "prediction": False,
        },
        [],
        [],
    ),
    (
        "numeric",
        "Dự đoán",
        "Có bao nhiêu thí sinh trả lời đúng câu 5?",
        {
            "answers": [{"value": 127.0, "tolerance": 0.0, "fraction": 1.0, "feedback": ""}],
            "prediction": True,
        },
        [],
        [],
    ),
    (
        "matching",
        "Ghép phím tắt",
        "Ghép phím tắt với chức năng.",
        {
            "pairs": [
                {"id": "p1", "html": "Ctrl + S", "answer": "Lưu"},
                {"id": "p2", "html": "Ctrl + P", "answer": "In"},
            ],
            "distractors": ["Xoá"],
        },
        [],
        [],
    ),
    ("essay", "Tự luận", "Trình bày lợi ích của thư điện tử.", {"min_words": 50, "max_words": 300}, [], []),
    ("description", "Phần II", "<p>Phần II: Bảng tính</p>", {}, [], ["IU04"]),
    (
        "file",
        "Thực hành Excel",
        "Tải lên bảng tính đã lập theo yêu cầu.",
        {"accept": [".xlsx", ".xls"], "max_bytes": 5242880},
        ["IU04"],
        ["IU04"],
    ),
    (
        "ordering",
        "Thứ tự",
        "Sắp xếp các bước tạo bảng.",
        {
            "items": [{"id": "1", "html": "Chọn Insert"}, {"id": "2", "html": "Chọn Table"}],
            "scoring": "adjacent",
        },
        [],
        [],
    ),
]
REPRESENTABLE = {
    "gift": {"single", "multiple", "truefalse", "short", "numeric", "matching", "essay", "description"},
    "moodlexml": {
        "single",
        "multiple",
        "truefalse",
        "short",
        "numeric",
        "matching",
        "essay",
        "description",
        "ordering",
        "file",
    },
}
EXTENSION = {"gift": "gift", "moodlexml": "xml"}


@pytest.fixture
def bank(edition):
    bank = services.get_or_create_bank(name="Nguồn", edition=edition)[0]
    for number, (qtype, name, stem, definition, tags, path) in enumerate(QUESTIONS):
        question = services.create_question(
            bank=bank,
            content=QuestionContent(
                qtype=qtype,
                name=name,
                stem_html=stem,
                definition=definition,
                general_feedback_html="<i>Giải thích</i>"
                if qtype not in {"description", "essay", "file"}
                else "",
                default_points=Decimal("2") if qtype == "matching" else Decimal("1"),
            ),
            tags=tags,
            idnumber=f"Q{number}" if number % 2 else "",
        )
        if path:
            categories = services._categories_for(bank, {tuple(path)})
            question.category = categories[tuple(path)]
            question.save(update_fields=["category"])
    return bank


def canonical(bank, *, with_filing: bool = True) -> list[tuple]:
    rows = []
    for item in export_items(bank):
        version = item.version
        row = (
            version.qtype,
            version.name,
            version.stem_html,
            version.definition,
            version.general_feedback_html,
            version.default_points,
        )
        if with_filing:
            row += (item.category, sorted(item.tags), item.question.idnumber)
        rows.append(row)
    return rows


@pytest.mark.parametrize("fmt", ["gift", "moodlexml"])
def test_importing_an_export_gives_the_same_bank(bank, edition, fmt):
    text, skipped = export_text(bank, fmt)
    assert {q.qtype for q in skipped} == {qtype for qtype, *_rest in QUESTIONS} - REPRESENTABLE[fmt]
    result = parse_upload(text.encode("utf-8"), f"bank.{EXTENSION[fmt]}", fmt)
    assert not result.errors, [(e.line, e.message) for e in result.errors]
    copy = services.get_or_create_bank(name=f"Bản sao {fmt}", edition=edition)[0]
    report = services.import_questions(bank=copy, result=result, skip_invalid=False)
    assert report.written, [e.message for e in report.errors]
    expected = [row for row in canonical(bank) if row[0] in REPRESENTABLE[fmt]]
    assert canonical(copy) == expected


def test_aiken_round_trips_plain_single_choice_questions_and_skips_the_rest(bank, edition):
    """Aiken has no names, feedback, partial credit or markup: only such questions fit."""
    assert len(export_text(bank, "aiken")[1]) == len(QUESTIONS)
    bank = services.get_or_create_bank(name="Aiken", edition=edition)[0]
    content = QuestionContent(
        qtype="single",
        name="Hệ điều hành",
        stem_html="Phần mềm nào là hệ điều hành? (a &lt; b &amp; c)",
        definition={"options": _options(("Windows 11", 1.0, ""), ("Microsoft Word", 0.0, ""))},
    )
    services.create_question(bank=bank, content=content)
    text, skipped = export_text(bank, "aiken")
    assert not skipped and "ANSWER: A" in text
    copy = services.get_or_create_bank(name="Aiken 2", edition=edition)[0]
    services.import_questions(
        bank=copy, result=parse_upload(text.encode(), "x.txt", "aiken"), skip_invalid=False
    )
    # Aiken has no names: the name comes from the text; everything else comes back.
    assert [(r[0], *r[2:]) for r in canonical(copy, with_filing=False)] == [
        (r[0], *r[2:]) for r in canonical(bank, with_filing=False)
    ]


def test_moodle_xml_carries_stem_images(edition, tmp_path):
    bank = services.get_or_create_bank(name="Ảnh", edition=edition)[0]
    media = services.store_media(bank=bank, data=PNG, name="logo.png")
    content = QuestionContent(
        qtype="truefalse",
        name="Ảnh",
        stem_html=f'Logo <img src="media:{media.sha256}" alt="logo">',
        definition={"correct": False},
    )
    services.create_question(bank=bank, content=content)
    out = tmp_path / "bank.xml"
    assert export_file(bank, "moodlexml", out) == []
    result = parse_upload(out.read_bytes(), "bank.xml")
    assert result.format == "moodlexml" and list(result.questions[0].media.values())[0][0] == PNG
    copy = services.get_or_create_bank(name="Ảnh 2", edition=edition)[0]
    services.import_questions(bank=copy, result=result, skip_invalid=False)
    stem = selectors.list_questions(bank=copy).get().current_version.stem_html
    assert stem == f'Logo <img src="media:{media.sha256}" alt="logo">'
