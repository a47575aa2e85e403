import pytest

from contest import archive
from contest.models import AnswerRevision, AnswerUpload, AttemptEvent
from contest.services import answers
from contest.services.errors import Invalid, NotAllowed
from contest.services.uploads import store_answer_file
from contest.snapshots import latest_answers
from tests.contest.rounds_helpers import at
from tests.contest.upload_helpers import DOCX, PDF, docx, entered, file_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(edition, organiser, contestant):
    return entered(file_round(edition, organiser), contestant)


def store(attempt, registration, *, slot=0, uploaded=None, now=None):
    return store_answer_file(
        attempt=attempt,
        slot=slot,
        uploaded_file=uploaded or docx(),
        user=registration.person.user,
        now=now or at(20),
    )


def send(attempt, registration, upload_id, *, slot=0, msg="f1"):
    item = answers.AnswerIn(
        round_id=attempt.round_id,
        registration_id=registration.pk,
        client_message_id=msg,
        slot=slot,
        base=0,
        response={"upload_id": upload_id},
        received_at=at(30),
    )
    return answers.save_answers([item], now=at(30))[0]


def test_it_stores_the_file_with_its_hash_and_name(attempt, contestant):
    upload = store(attempt, contestant)
    stored = AnswerUpload.objects.get(pk=upload.pk)
    assert stored.original_name == "bai-lam.docx" and stored.size == len(DOCX)
    assert stored.file.name.startswith(f"answer-files/{attempt.round_id}/{attempt.pk}/")
    assert stored.content_type.endswith("wordprocessingml.document")
    with stored.file.open("rb") as handle:
        assert handle.read() == DOCX


def test_it_accepts_a_pdf_that_starts_like_a_pdf(attempt, contestant):
    assert store(attempt, contestant, uploaded=docx("bai.PDF", PDF)).content_type == "application/pdf"


def test_it_refuses_someone_elses_attempt_without_logging_on_it(attempt, other_contestant):
    with pytest.raises(NotAllowed) as refused:
        store(attempt, other_contestant)
    assert refused.value.reason == "not_yours"
    assert not AnswerUpload.objects.exists() and not AttemptEvent.objects.filter(kind="refused").exists()


def test_it_refuses_after_the_deadline_plus_grace_and_logs_it(attempt, contestant):
    with pytest.raises(NotAllowed) as refused:
        store(attempt, contestant, now=at(10 + 600 + 4))
    assert refused.value.reason == "too_late" and refused.value.message == "Đã hết giờ làm bài."
    event = AttemptEvent.objects.get(kind="refused")
    assert event.reason == "too_late" and event.detail == {"slot": 0, "upload": "bai-lam.docx"}
    assert not AnswerUpload.objects.exists()


@pytest.mark.parametrize(
    ("uploaded", "message"),
    [
        (docx("bai.xlsx"), "Chỉ nhận tệp .docx, .pdf."),
        (docx(content=b"PK\x03\x04" + b"x" * 1000), "Tệp lớn hơn mức cho phép (1 KB)."),
        (docx(content=b"MZ" + b"\x00" * 40), "Nội dung tệp không đúng định dạng .docx."),
        (docx("bai.pdf", DOCX), "Nội dung tệp không đúng định dạng .pdf."),
        (docx(content=b""), "Hãy chọn một tệp."),
    ],
)
def test_it_refuses_a_wrong_extension_size_or_content(attempt, contestant, uploaded, message):
    with pytest.raises(Invalid) as refused:
        store(attempt, contestant, uploaded=uploaded)
    assert refused.value.reason == "invalid" and refused.value.message == message
    assert not AnswerUpload.objects.exists()
    assert AttemptEvent.objects.filter(kind="refused", reason="invalid").count() == 1


@pytest.mark.parametrize("slot", [1, 2, 99])
def test_it_refuses_a_slot_that_is_not_a_file_question(attempt, contestant, slot):
    with pytest.raises(Invalid):
        store(attempt, contestant, slot=slot)


def test_the_upload_becomes_the_answer_through_the_answer_message(attempt, contestant):
    upload = store(attempt, contestant)
    result = send(attempt, contestant, upload.pk)
    assert result.ok and result.revision == 1
    stored = AnswerRevision.objects.get(attempt=attempt)
    assert stored.response == {"upload_id": upload.pk} and stored.pending


def test_an_answer_naming_another_contestants_upload_is_refused(
    edition, organiser, attempt, contestant, other_contestant
):
    theirs = entered(attempt.round, other_contestant)
    their_upload = store(theirs, other_contestant)
    result = send(attempt, contestant, their_upload.pk)
    assert not result.ok and result.reason == "invalid"
    assert not AnswerRevision.objects.filter(attempt=attempt).exists()


def test_an_answer_naming_an_upload_of_another_slot_is_refused(attempt, contestant):
    upload = store(attempt, contestant)
    assert send(attempt, contestant, upload.pk + 1000).reason == "invalid"
    AnswerUpload.objects.filter(pk=upload.pk).update(slot=1)
    assert send(attempt, contestant, upload.pk, msg="f2").reason == "invalid"


def test_the_snapshot_names_the_answered_file(attempt, contestant):
    upload = store(attempt, contestant)
    send(attempt, contestant, upload.pk)
    saved = latest_answers(attempt)["0"]
    assert saved["response"] == {"upload_id": upload.pk}
    assert saved["file"] == {"name": "bai-lam.docx", "size": len(DOCX)}


def test_an_answer_file_travels_in_the_edition_archive_and_its_answer_follows(edition, attempt, contestant):
    upload = store(attempt, contestant)
    send(attempt, contestant, upload.pk)
    copy = archive.import_edition(content=archive.build_archive(edition), slug="ban-sao")
    copied = AnswerUpload.objects.get(attempt__round__edition=copy)
    assert copied.pk != upload.pk and copied.sha256 == upload.sha256
    with copied.file.open("rb") as handle:
        assert handle.read() == DOCX
    answer = AnswerRevision.objects.get(attempt__round__edition=copy)
    assert answer.response == {"upload_id": copied.pk}
