"""Import, authoring and versioning services: state, audit rows, all-or-nothing."""

from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, transaction

from contest.models import AuditLog
from quizzes import selectors, services
from quizzes.importers import parse_upload
from quizzes.importers.base import ParsedQuestion, ParseResult
from quizzes.models import Category, Question, QuestionMedia, QuestionVersion, Tag

NOW = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def single(stem, *, line=1, tags=(), path=(), media=None):
    return ParsedQuestion(
        qtype="single",
        name=stem[:40],
        stem_html=stem,
        definition={
            "options": [
                {"id": "a", "html": "Đúng", "fraction": 1.0, "feedback": ""},
                {"id": "b", "html": "Sai", "fraction": 0.0, "feedback": ""},
            ]
        },
        line=line,
        tags=list(tags),
        category_path=list(path),
        media=media or {},
    )


def broken(line):
    question = single("Câu hỏi lỗi", line=line)
    question.definition = {"options": []}
    return question


@pytest.fixture
def bank(edition):
    return services.get_or_create_bank(name="Tin học cơ bản", edition=edition, now=NOW)[0]


def test_it_imports_questions_with_categories_tags_and_an_audit_row(bank, organiser):
    result = ParseResult(
        format="gift",
        questions=[
            single("Phím tắt sao chép là gì?", tags=["IU02", "dễ"], path=["IU02", "Phím tắt"]),
            single("Phần mềm nào là trình duyệt web?", line=5, tags=["iu06", "Khó"], path=["IU06"]),
        ],
    )
    report = services.import_questions(bank=bank, result=result, skip_invalid=False, actor=organiser, now=NOW)
    assert report.written and report.imported == 2 and report.by_type == {"single": 2}
    first = Question.objects.get(pk=report.question_ids[0])
    assert first.current_version.number == 1
    assert selectors.category_path(first.category) == ["IU02", "Phím tắt"]
    assert {t.name for t in first.tags.all()} == {"IU02", "dễ"}
    assert Tag.objects.get(name="IU06").kind == "module"
    assert Tag.objects.get(name="khó").kind == "difficulty"
    assert Category.objects.filter(bank=bank).count() == 3
    audit = AuditLog.objects.get(action="bank.imported")
    assert audit.after["imported"] == 2 and audit.actor_id == organiser.pk


def test_it_writes_nothing_when_any_question_is_invalid(bank):
    result = ParseResult(format="gift", questions=[single("Câu đúng"), broken(7)])
    report = services.import_questions(bank=bank, result=result, skip_invalid=False, now=NOW)
    assert not report.written and report.errors[0].line == 7
    assert Question.objects.count() == 0 and not AuditLog.objects.filter(action="bank.imported").exists()


def test_it_imports_the_valid_questions_when_asked_to_skip_invalid_ones(bank):
    result = ParseResult(format="gift", questions=[single("Câu đúng"), broken(7), single("Câu nữa", line=9)])
    report = services.import_questions(bank=bank, result=result, skip_invalid=True, now=NOW)
    assert report.written and report.imported == 2 and report.skipped_indexes == [1]


def test_it_refuses_everything_on_a_file_level_error_even_when_skipping(bank):
    result = ParseResult(format="gift", questions=[single("Câu đúng")])
    result.error(None, "Tệp không đọc được")
    report = services.import_questions(bank=bank, result=result, skip_invalid=True, now=NOW)
    assert not report.written and Question.objects.count() == 0


def test_it_warns_about_duplicates_ignoring_accents_case_and_spaces(bank):
    services.import_questions(
        bank=bank, result=ParseResult(format="gift", questions=[single("Tin học là gì?")]), skip_invalid=False
    )
    result = ParseResult(
        format="gift",
        questions=[single("TIN  HOC la gi?", line=3), single("Câu mới", line=5), single("câu MỚI", line=8)],
    )
    report = services.import_questions(bank=bank, result=result, skip_invalid=False, now=NOW)
    assert report.written and report.imported == 3
    assert [w.line for w in report.warnings] == [3, 8]
    assert "vị trí 5" in report.warnings[1].message


def test_it_stores_images_once_and_points_the_stem_at_them(bank):
    question = single('Hình nào? <img src="media:img1">', media={"img1": (PNG, "image/png", "a.png")})
    twin = single('Hình kia? <img src="media:x">', media={"x": (PNG, "image/png", "b.png")})
    report = services.import_questions(
        bank=bank, result=ParseResult(format="docx", questions=[question, twin]), skip_invalid=False
    )
    media = QuestionMedia.objects.get()
    stem = Question.objects.get(pk=report.question_ids[0]).current_version.stem_html
    assert f'src="media:{media.sha256}"' in stem and media.size == len(PNG)


def test_it_refuses_an_image_that_is_not_one(bank):
    question = single('Hình? <img src="media:k">', media={"k": (b"<script>", "image/png", "x.png")})
    report = services.import_questions(
        bank=bank, result=ParseResult(format="docx", questions=[question]), skip_invalid=False
    )
    assert not report.written and "x.png" in report.errors[0].message


def test_it_sanitises_content_on_import(bank):
    question = single('<p onclick="x()">Câu <script>alert(1)</script><b>đậm</b></p>')
    question.definition["options"][0]["html"] = '<img src="http://evil/x.png">Đúng<iframe></iframe>'
    report = services.import_questions(
        bank=bank, result=ParseResult(format="gift", questions=[question]), skip_invalid=False
    )
    version = Question.objects.get(pk=report.question_ids[0]).current_version
    assert version.stem_html == "<p>Câu <b>đậm</b></p>"
    assert version.definition["options"][0]["html"] == "Đúng"


def content(stem="Hệ điều hành là gì?"):
    return services.QuestionContent(
        qtype="truefalse", name="HĐH", stem_html=stem, definition={"correct": True}
    )


def test_editing_an_unfrozen_version_updates_it_in_place(bank):
    question = services.create_question(bank=bank, content=content(), tags=["IU01"], now=NOW)
    version = services.update_question(question=question, content=content("Câu đã sửa"), now=NOW)
    assert version.number == 1 and QuestionVersion.objects.count() == 1
    assert "cau da sua" in Question.objects.get().search_text


def test_editing_a_frozen_version_creates_a_new_one(bank):
    question = services.create_question(bank=bank, content=content(), now=NOW)
    assert services.freeze_versions([question.current_version_id], NOW) == 1
    assert services.freeze_versions([question.current_version_id], NOW) == 0
    version = services.update_question(question=question, content=content("Câu đã sửa"), now=NOW)
    assert version.number == 2
    old = QuestionVersion.objects.get(number=1)
    assert old.stem_html == "Hệ điều hành là gì?" and old.frozen_at == NOW
    assert Question.objects.get().current_version == version
    assert AuditLog.objects.filter(action="question.updated").count() == 1


def test_creating_an_invalid_question_raises_and_writes_nothing(bank):
    bad = services.QuestionContent(qtype="single", name="x", stem_html="Câu?", definition={"options": []})
    with pytest.raises(services.QuestionInvalid) as error:
        services.create_question(bank=bank, content=bad)
    assert error.value.errors and Question.objects.count() == 0


def test_search_is_accent_insensitive_and_filters_by_type_and_tag(bank):
    services.create_question(bank=bank, content=content("Tin học văn phòng"), tags=["IU03"])
    services.create_question(bank=bank, content=content("Mạng Internet"), tags=["IU06"])
    assert [q.current_version.stem_html for q in selectors.list_questions(bank=bank, search="tin hoc")] == [
        "Tin học văn phòng"
    ]
    assert selectors.list_questions(bank=bank, tags=["IU06"]).count() == 1
    assert selectors.list_questions(bank=bank, qtype="single").count() == 0
    assert selectors.find_duplicates(bank=bank, stem_html="MẠNG internet").count() == 1


def test_bank_creation_is_idempotent_and_audited(edition):
    first, created = services.get_or_create_bank(name="Ngân hàng A", edition=edition)
    again, created_again = services.get_or_create_bank(name="Ngân  hàng A", edition=edition)
    assert created and not created_again and first == again
    assert AuditLog.objects.filter(action="bank.created").count() == 1


def test_blocks_that_did_not_parse_count_as_skipped(bank):
    result = ParseResult(format="gift", questions=[single("Câu tốt", line=1)])
    result.error(4, "Thiếu dấu ngoặc")
    report = services.check_import(bank=bank, result=result)
    assert report.invalid_count == 1 and not report.refused
    report = services.import_questions(bank=bank, result=result, skip_invalid=True, now=NOW)
    assert report.written and report.imported == 1


def test_listing_questions_takes_a_fixed_number_of_queries(bank, django_assert_max_num_queries):
    result = ParseResult(
        format="gift", questions=[single(f"Câu {n}", tags=["IU01", "dễ"], path=["IU01"]) for n in range(30)]
    )
    services.import_questions(bank=bank, result=result, skip_invalid=False)
    with django_assert_max_num_queries(2):
        rows = [
            (q.current_version.name, q.category.name, [t.name for t in q.tags.all()])
            for q in selectors.list_questions(bank=bank, search="cau")
        ]
    assert len(rows) == 30


@pytest.mark.parametrize(
    ("stem", "points"),
    [("x" * 100_001, "1"), ("Câu?", "-1"), ("Câu?", "NaN"), ("Câu?", "abc"), ("   ", "1")],
)
def test_oversized_empty_or_badly_scored_questions_are_errors(stem, points):
    errors = services.check_question(
        qtype="truefalse", name="Q", stem_html=stem, definition={"correct": True}, default_points=points
    )
    assert errors


def test_category_switches_build_the_tree_even_in_reverse_order_and_when_empty(bank):
    xml = """<?xml version="1.0"?><quiz>
  <question type="category"><category><text>$course$/top/IU03/Bảng</text></category></question>
  <question type="truefalse"><name><text>T</text></name>
    <questiontext format="html"><text>Câu?</text></questiontext>
    <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>
  <question type="category"><category><text>$course$/top/IU03</text></category></question>
  <question type="category"><category><text>$course$/top/IU05/Trống</text></category></question>
</quiz>""".encode()
    report = services.import_questions(bank=bank, result=parse_upload(xml, "x.xml"), skip_invalid=False)
    assert report.written
    paths = sorted(path for _category, path in selectors.list_categories(bank=bank))
    assert paths == [["IU03"], ["IU03", "Bảng"], ["IU05"], ["IU05", "Trống"]]
    question = Question.objects.get(pk=report.question_ids[0])
    assert selectors.category_path(question.category) == ["IU03", "Bảng"]


def test_two_top_level_categories_of_a_bank_cannot_share_a_name(bank):
    Category.objects.create(bank=bank, name="IU01")
    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.create(bank=bank, name="IU01")
