"""Bank pages: who may see them, filters and search, bulk actions, authoring and preview."""

import pytest
from django.urls import reverse

from contest.models import AuditLog, RoleGrant
from quizzes import services
from quizzes.models import Bank, Question
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(edition):
    bank, _created = services.get_or_create_bank(name="Ngân hàng thử", edition=edition)
    return bank


def make_question(bank, stem, *, tags=(), qtype="single"):
    definition = {
        "options": [
            {"id": "a", "html": "Đúng", "fraction": 1.0, "feedback": ""},
            {"id": "b", "html": "Sai", "fraction": 0.0, "feedback": ""},
        ]
    }
    return services.create_question(
        bank=bank,
        content=services.QuestionContent(qtype=qtype, name=stem, stem_html=stem, definition=definition),
        tags=tags,
    )


def single_choice_post(stem="Tin học là gì?", **extra):
    data = {
        "qtype": "single",
        "stem_html": stem,
        "default_points": "1",
        "option_id": ["", "", "", ""],
        "option_html": ["Máy tính", "Nấu ăn", "", ""],
        "option_fraction": ["100", "0", "0", "0"],
        "option_feedback": ["", "", "", ""],
    }
    data.update(extra)
    return data


# --- Permissions ----------------------------------------------------------------------------


def bank_urls(edition, bank, question):
    return [
        ("get", reverse("quizzes:bank_list", args=[edition.slug])),
        ("get", reverse("quizzes:bank_detail", args=[bank.pk])),
        ("get", reverse("quizzes:question_create", args=[bank.pk])),
        ("get", reverse("quizzes:question_edit", args=[bank.pk, question.pk])),
        ("post", reverse("quizzes:question_preview", args=[bank.pk])),
        ("post", reverse("quizzes:bulk_action", args=[bank.pk])),
        ("get", reverse("quizzes:import_upload", args=[bank.pk])),
        ("get", reverse("quizzes:export", args=[bank.pk, "xlsx"])),
        ("post", reverse("quizzes:media_upload", args=[bank.pk])),
    ]


def test_a_contestant_gets_403_on_every_bank_page(client, edition, bank, contestant):
    question = make_question(bank, "Câu một")
    client.force_login(contestant.person.user)
    for method, url in bank_urls(edition, bank, question):
        assert getattr(client, method)(url).status_code == 403, url


def test_an_organiser_of_another_edition_gets_403(client, edition, bank):
    question = make_question(bank, "Câu một")
    other = factories.make_user(username="btc-khac")
    factories.grant(user=other, edition=factories.make_edition(), role=RoleGrant.Role.ORGANISER)
    client.force_login(other)
    for method, url in bank_urls(edition, bank, question):
        assert getattr(client, method)(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_login(client, bank):
    response = client.get(reverse("quizzes:bank_detail", args=[bank.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_an_organiser_sees_the_edition_banks_and_shared_banks(client, edition, organiser, bank):
    shared, _created = services.get_or_create_bank(name="Ngân hàng dùng chung")
    services.get_or_create_bank(name="Kỳ khác", edition=factories.make_edition())
    client.force_login(organiser)
    body = client.get(reverse("quizzes:bank_list", args=[edition.slug])).content.decode()
    assert bank.name in body
    assert shared.name in body
    assert "Kỳ khác" not in body
    assert client.get(reverse("quizzes:bank_detail", args=[shared.pk])).status_code == 200


def test_the_edition_overview_links_to_the_banks(client, edition, organiser):
    client.force_login(organiser)
    body = client.get(reverse("edition_overview", args=[edition.slug])).content.decode()
    assert reverse("quizzes:bank_list", args=[edition.slug]) in body


def test_an_organiser_creates_a_bank_and_a_taken_name_is_refused(client, edition, organiser):
    client.force_login(organiser)
    url = reverse("quizzes:bank_list", args=[edition.slug])
    assert client.post(url, {"name": "Vòng loại"}).status_code == 302
    response = client.post(url, {"name": "Vòng loại"}, follow=True)
    assert "đã có ngân hàng" in response.content.decode()
    assert Bank.objects.filter(edition=edition, name="Vòng loại").count() == 1


# --- List, filters, search ------------------------------------------------------------------


def test_search_ignores_accents_and_filters_combine(client, organiser, bank):
    make_question(bank, "Tin học văn phòng là gì?", tags=["IU01", "dễ"])
    make_question(bank, "Hệ điều hành là gì?", tags=["IU02"])
    client.force_login(organiser)
    url = reverse("quizzes:bank_detail", args=[bank.pk])
    body = client.get(url, {"q": "tin hoc"}).content.decode()
    assert "Tin học văn phòng" in body
    assert "Hệ điều hành" not in body
    body = client.get(url, {"do_kho": "dễ"}).content.decode()
    assert "Tin học văn phòng" in body and "Hệ điều hành" not in body
    body = client.get(url, {"nhan": "IU02", "loai": "single"}).content.decode()
    assert "Hệ điều hành" in body and "Tin học văn phòng" not in body
    body = client.get(url, {"nhan": "không-có"}).content.decode()
    assert "Không có câu hỏi nào khớp bộ lọc" in body


def test_the_list_is_paginated(client, organiser, bank):
    for number in range(55):
        make_question(bank, f"Câu số {number:02d}")
    client.force_login(organiser)
    url = reverse("quizzes:bank_detail", args=[bank.pk])
    first = client.get(url).content.decode()
    assert "Câu số 00" in first and "Câu số 54" not in first
    second = client.get(url, {"trang": 2}).content.decode()
    assert "Câu số 54" in second


def test_bulk_tagging_and_moving(client, organiser, bank):
    first, second = make_question(bank, "Một"), make_question(bank, "Hai")
    client.force_login(organiser)
    url = reverse("quizzes:bulk_action", args=[bank.pk])
    client.post(url, {"action": "tag", "question": [first.pk, second.pk], "add_tags": "IU03, khó"})
    assert sorted(first.tags.values_list("name", flat=True)) == ["IU03", "khó"]
    client.post(url, {"action": "move", "question": [first.pk], "new_category": "IU03 / Soạn thảo"})
    first.refresh_from_db()
    assert first.category.name == "Soạn thảo"
    assert first.category.parent.name == "IU03"
    assert AuditLog.objects.filter(action="bank.questions_tagged").count() == 1
    assert AuditLog.objects.filter(action="bank.questions_moved").count() == 1


def test_bulk_actions_refuse_questions_of_another_bank(client, edition, organiser, bank):
    other, _created = services.get_or_create_bank(name="Khác", edition=edition)
    foreign = make_question(other, "Câu của ngân hàng khác")
    client.force_login(organiser)
    response = client.post(
        reverse("quizzes:bulk_action", args=[bank.pk]),
        {"action": "tag", "question": [foreign.pk], "add_tags": "IU01"},
        follow=True,
    )
    assert "không thuộc ngân hàng này" in response.content.decode()
    assert not foreign.tags.exists()


# --- Authoring --------------------------------------------------------------------------------


def test_an_organiser_creates_a_question_with_category_and_tags(client, organiser, bank):
    client.force_login(organiser)
    response = client.post(
        reverse("quizzes:question_create", args=[bank.pk]),
        single_choice_post(tags="IU01, dễ", new_category="IU01 / Cơ bản"),
    )
    assert response.status_code == 302
    question = Question.objects.get(bank=bank)
    version = question.current_version
    assert version.stem_html == "Tin học là gì?"
    assert [o["fraction"] for o in version.definition["options"]] == [1.0, 0.0]
    assert question.category.name == "Cơ bản"
    assert sorted(question.tags.values_list("name", flat=True)) == ["IU01", "dễ"]


def test_an_invalid_question_shows_errors_and_writes_nothing(client, organiser, bank):
    client.force_login(organiser)
    response = client.post(
        reverse("quizzes:question_create", args=[bank.pk]),
        single_choice_post(option_fraction=["0", "0", "0", "0"]),
    )
    assert response.status_code == 400
    assert "Phải có một phương án đúng" in response.content.decode()
    assert not Question.objects.exists()


def test_creating_a_duplicate_warns_but_saves(client, organiser, bank):
    make_question(bank, "Tin học là gì?")
    client.force_login(organiser)
    response = client.post(
        reverse("quizzes:question_create", args=[bank.pk]), single_choice_post("TIN HOC  la gi?"), follow=True
    )
    assert "có thể trùng" in response.content.decode()
    assert Question.objects.filter(bank=bank).count() == 2


@pytest.mark.parametrize(
    ("qtype", "fields", "expected"),
    [
        ("truefalse", {"tf_correct": "false"}, {"correct": False}),
        (
            "short",
            {"short_answers": "Hà Nội\nHa Noi=50%", "accent_sensitive": "on"},
            {"case_sensitive": False},
        ),
        ("numeric", {"numeric_answers": "3,14 ± 0,01"}, {"prediction": False}),
        ("ordering", {"order_items": "Bật máy\nĐăng nhập"}, {}),
        ("matching", {"match_pairs": "Ctrl+C => Sao chép\nCtrl+V => Dán", "match_distractors": "Cắt"}, {}),
        ("essay", {"min_words": "50"}, {"min_words": 50}),
        ("file", {"file_accept": ".docx, xlsx", "file_max_mb": "5"}, {"accept": [".docx", ".xlsx"]}),
        ("description", {}, {}),
    ],
)
def test_every_type_can_be_created_and_edited_back(client, organiser, bank, qtype, fields, expected):
    client.force_login(organiser)
    data = {"qtype": qtype, "stem_html": f"Câu {qtype}", "default_points": "1", **fields}
    response = client.post(reverse("quizzes:question_create", args=[bank.pk]), data)
    assert response.status_code == 302, response.content.decode()
    question = Question.objects.get(bank=bank)
    definition = question.current_version.definition
    assert {key: definition[key] for key in expected} == expected
    # The edit page shows what is stored, and saving it unchanged keeps the definition.
    edit_url = reverse("quizzes:question_edit", args=[bank.pk, question.pk])
    assert client.get(edit_url).status_code == 200
    assert client.post(edit_url, data).status_code == 302
    question.refresh_from_db()
    assert question.current_version.definition == definition


def test_editing_a_frozen_version_creates_a_new_one(client, organiser, bank):
    question = make_question(bank, "Câu cũ")
    services.freeze_versions([question.current_version_id], now=question.created_at)
    client.force_login(organiser)
    response = client.post(
        reverse("quizzes:question_edit", args=[bank.pk, question.pk]),
        single_choice_post("Câu mới"),
        follow=True,
    )
    assert "phiên bản 2" in response.content.decode()
    question.refresh_from_db()
    assert question.current_version.number == 2
    assert question.versions.get(number=1).stem_html == "Câu cũ"


def test_the_preview_shows_the_question_as_contestants_see_it_without_the_key(client, organiser, bank):
    make_question(bank, "Tin học là gì?")
    client.force_login(organiser)
    response = client.post(reverse("quizzes:question_preview", args=[bank.pk]), single_choice_post())
    body = response.content.decode()
    assert 'type="radio" name="qpreview"' in body
    assert "Máy tính" in body and "Nấu ăn" in body
    assert "fraction" not in body and "100" not in body
    assert "Có thể trùng" in body
    assert not Question.objects.filter(bank=bank, current_version__stem_html="Tin học là gì?").count() > 1


def test_the_preview_lists_errors_instead_of_a_question(client, organiser, bank):
    client.force_login(organiser)
    response = client.post(
        reverse("quizzes:question_preview", args=[bank.pk]), {"qtype": "short", "stem_html": "X"}
    )
    body = response.content.decode()
    assert "chưa hợp lệ" in body
    assert "<article" not in body


def test_stem_html_is_sanitised(client, organiser, bank):
    client.force_login(organiser)
    client.post(
        reverse("quizzes:question_create", args=[bank.pk]),
        single_choice_post('<b>Đậm</b><script>alert(1)</script><img src="https://x.invalid/a.png">'),
    )
    assert Question.objects.get().current_version.stem_html == "<b>Đậm</b>"


@pytest.mark.parametrize(
    ("qtype", "fields", "needle"),
    [
        ("truefalse", {"tf_correct": "true"}, 'value="true"'),
        ("short", {"short_answers": "Hà Nội"}, 'name="qpreview-text"'),
        ("numeric", {"numeric_answers": "3,14"}, 'inputmode="decimal"'),
        ("ordering", {"order_items": "Zeta\nAlpha"}, 'name="qpreview-order"'),
        (
            "matching",
            {"match_pairs": "Ctrl+C => Sao chép\nCtrl+V => Dán", "match_distractors": "Cắt"},
            'data-pair="p1"',
        ),
        ("essay", {"min_words": "10"}, "<textarea"),
        ("file", {"file_accept": ".docx"}, ".docx"),
        ("description", {}, '<div class="stem">Câu</div>'),
    ],
)
def test_the_preview_draws_every_type_with_predictable_input_names(
    client, organiser, bank, qtype, fields, needle
):
    client.force_login(organiser)
    data = {"qtype": qtype, "stem_html": "Câu", "default_points": "1", **fields}
    body = client.post(reverse("quizzes:question_preview", args=[bank.pk]), data).content.decode()
    assert needle in body
    assert "Hà Nội" not in body  # a short answer's accepted answers are the key
