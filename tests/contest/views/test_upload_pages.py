import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contest.models import AnswerUpload
from contest.services import answers
from contest.services.uploads import store_answer_file
from tests import factories
from tests.contest.upload_helpers import DOCX, docx, entered, file_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(edition, organiser, contestant):
    """The view reads the real clock, so the round runs now."""
    now = timezone.now()
    return entered(file_round(edition, organiser, start=now), contestant, now=now)


def upload_url(attempt, slot=0):
    return reverse("answer_file_upload", args=[attempt.round.edition.slug, attempt.round_id, slot])


def logged_in(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def test_the_contestant_uploads_a_file_and_gets_its_id(attempt, contestant):
    response = logged_in(contestant.person.user).post(upload_url(attempt), {"file": docx()})
    assert response.status_code == 200
    upload = AnswerUpload.objects.get(attempt=attempt)
    assert response.json() == {"upload_id": upload.pk, "name": "bai-lam.docx", "size": len(DOCX)}


def test_a_refused_file_answers_json_with_the_vietnamese_reason(attempt, contestant):
    response = logged_in(contestant.person.user).post(upload_url(attempt), {"file": docx("bai.exe")})
    assert response.status_code == 400
    assert response.json() == {"error": "Chỉ nhận tệp .docx, .pdf.", "reason": "invalid"}


def test_a_contestant_who_has_not_entered_cannot_upload(attempt, other_contestant):
    response = logged_in(other_contestant.person.user).post(upload_url(attempt), {"file": docx()})
    assert response.status_code == 409 and response.json()["reason"] == "no_attempt"
    assert not AnswerUpload.objects.exists()


def test_people_who_are_not_contestants_cannot_upload(attempt, judge, organiser):
    for user in (judge, organiser):
        response = logged_in(user).post(upload_url(attempt), {"file": docx()})
        assert response.status_code == 403
    assert not AnswerUpload.objects.exists()


def test_the_upload_needs_the_csrf_token(attempt, contestant):
    client = logged_in(contestant.person.user, enforce_csrf_checks=True)
    assert client.post(upload_url(attempt), {"file": docx()}).status_code == 403
    assert not AnswerUpload.objects.exists()


def test_the_upload_is_post_only_and_needs_a_login(attempt, contestant):
    assert logged_in(contestant.person.user).get(upload_url(attempt)).status_code == 405
    assert Client().post(upload_url(attempt), {"file": docx()}).status_code == 302


@pytest.fixture
def stored(attempt, contestant):
    logged_in(contestant.person.user).post(upload_url(attempt), {"file": docx()})
    upload = AnswerUpload.objects.get()
    return reverse("answer_file", args=[attempt.round.edition.slug, upload.pk])


def test_judges_organisers_and_the_owner_download_the_file(stored, judge, organiser, contestant):
    for user in (judge, organiser, contestant.person.user):
        response = logged_in(user).get(stored)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == DOCX
        assert 'attachment; filename="bai-lam.docx"' in response["Content-Disposition"]


def test_everyone_else_is_refused_the_file(stored, edition, unit, other_contestant, coordinator):
    outsider_judge = factories.make_user()
    factories.grant(user=outsider_judge, edition=factories.make_edition(slug="hoithi-2025"), role="judge")
    for user in (other_contestant.person.user, coordinator, outsider_judge):
        assert logged_in(user).get(stored).status_code == 403
    assert Client().get(stored).status_code == 302


def test_the_judges_answer_sheet_links_to_the_answered_file(attempt, contestant, judge):
    upload = store_answer_file(
        attempt=attempt, slot=0, uploaded_file=docx(), user=contestant.person.user, now=timezone.now()
    )
    item = answers.AnswerIn(
        round_id=attempt.round_id,
        registration_id=contestant.pk,
        client_message_id="f1",
        slot=0,
        base=0,
        response={"upload_id": upload.pk},
    )
    assert answers.save_answers([item], now=timezone.now())[0].ok
    round_ = attempt.round
    page = logged_in(judge).get(reverse("judging_sheet", args=[round_.edition.slug, round_.slug, attempt.pk]))
    assert page.status_code == 200
    link = reverse("answer_file", args=[round_.edition.slug, upload.pk])
    assert f'href="{link}"' in page.content.decode() and "bai-lam.docx" in page.content.decode()


def test_the_exam_page_tells_its_script_where_to_upload(attempt, contestant):
    round_ = attempt.round
    page = logged_in(contestant.person.user).get(reverse("exam_round", args=[round_.edition.slug, round_.pk]))
    config = page.context["exam_config"]
    assert config["uploadUrl"] == f"/ky/{round_.edition.slug}/thi/{round_.pk}/tep/"
    assert config["csrfToken"] and "answer-upload.js" in page.content.decode()
