"""Import (upload -> preview -> confirm), export downloads and question images."""

import io
import os
import time

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contest.models import RoleGrant
from quizzes import services
from quizzes.models import Question, QuestionMedia
from tests import factories
from tests.quizzes.importers.docx_builders import DocBuilder, tiny_png

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank(edition):
    bank, _created = services.get_or_create_bank(name="Ngân hàng thử", edition=edition)
    return bank


def docx_upload(*, broken=False) -> SimpleUploadedFile:
    doc = DocBuilder()
    doc.para("Câu 1: Phần mềm bảng tính?")
    doc.para("A. Word")
    doc.para("B. Excel")
    doc.para("Đáp án: B")
    doc.para("Câu 2: Phím tắt dán?")
    doc.para("A. Ctrl+V")
    doc.para("B. Ctrl+C")
    doc.para("Đáp án: E" if broken else "Đáp án: A")
    return SimpleUploadedFile("de-thi.docx", doc.bytes())


def upload(client, bank, file, fmt="auto"):
    return client.post(reverse("quizzes:import_upload", args=[bank.pk]), {"file": file, "format": fmt})


def test_upload_preview_confirm_imports_the_questions(client, organiser, bank):
    client.force_login(organiser)
    response = upload(client, bank, docx_upload())
    assert response.status_code == 302
    preview = client.get(response["Location"])
    body = preview.content.decode()
    assert "Phần mềm bảng tính?" in body and "Phím tắt dán?" in body
    assert "Một lựa chọn" in body
    assert not Question.objects.exists()
    done = client.post(reverse("quizzes:import_preview", args=[bank.pk]), {"action": "import"})
    assert done.status_code == 302
    assert Question.objects.filter(bank=bank).count() == 2
    assert not default_storage.listdir("import-previews")[1]  # the waiting file is gone


def test_an_upload_clears_previews_abandoned_for_a_day_by_anyone(client, organiser, bank):
    old = default_storage.save("import-previews/999/bo-quen.docx", io.BytesIO(b"x"))
    recent = default_storage.save("import-previews/999/dang-xem.docx", io.BytesIO(b"x"))
    two_days_ago = time.time() - 2 * 86400
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    client.force_login(organiser)
    upload(client, bank, docx_upload())
    assert not default_storage.exists(old)
    assert default_storage.exists(recent)  # somebody may still be looking at it
    assert default_storage.exists(client.session[f"quizzes_import_{bank.pk}"]["path"])


def test_a_file_with_errors_writes_nothing_until_the_skip_choice(client, organiser, bank):
    client.force_login(organiser)
    upload(client, bank, docx_upload(broken=True))
    body = client.get(reverse("quizzes:import_preview", args=[bank.pk])).content.decode()
    assert "Câu 2: đáp án là E nhưng không có phương án E." in body
    assert "đoạn 8" in body
    assert "Nhập 1 câu hợp lệ, bỏ qua 1 câu lỗi" in body
    refused = client.post(reverse("quizzes:import_preview", args=[bank.pk]), {"action": "import"})
    assert refused.status_code == 400
    assert not Question.objects.exists()
    client.post(reverse("quizzes:import_preview", args=[bank.pk]), {"action": "skip_invalid"})
    assert list(Question.objects.values_list("current_version__name", flat=True)) == ["Phần mềm bảng tính?"]


def test_an_unreadable_upload_is_refused_on_the_upload_page(client, organiser, bank):
    client.force_login(organiser)
    ole = SimpleUploadedFile("de-thi.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    response = upload(client, bank, ole)
    assert response.status_code == 400
    assert "Tệp Word cũ (.doc)" in response.content.decode()
    assert client.session.get(f"quizzes_import_{bank.pk}") is None
    assert not Question.objects.exists()


def test_a_windows_1258_csv_is_refused_with_its_line(client, organiser, bank):
    client.force_login(organiser)
    data = "Câu hoi,A,B,Đáp án\nMáy tính?,X,Y,A\n".encode("cp1258")
    response = upload(client, bank, SimpleUploadedFile("cu.csv", data))
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()


def test_cancel_discards_the_waiting_file(client, organiser, bank):
    client.force_login(organiser)
    upload(client, bank, docx_upload())
    path = client.session[f"quizzes_import_{bank.pk}"]["path"]
    client.post(reverse("quizzes:import_preview", args=[bank.pk]), {"action": "cancel"})
    assert not default_storage.exists(path)
    assert not Question.objects.exists()


def test_another_organiser_cannot_confirm_someone_elses_upload(client, edition, organiser, bank):
    client.force_login(organiser)
    upload(client, bank, docx_upload())
    colleague = factories.make_user(username="btc2")
    factories.grant(user=colleague, edition=edition, role=RoleGrant.Role.ORGANISER)
    client.force_login(colleague)
    response = client.post(reverse("quizzes:import_preview", args=[bank.pk]), {"action": "import"})
    assert response.status_code == 302  # back to the upload page: nothing waits for them
    assert not Question.objects.exists()


def test_export_downloads_an_xlsx_that_imports_back(client, organiser, bank):
    client.force_login(organiser)
    upload(client, bank, docx_upload())
    client.post(reverse("quizzes:import_preview", args=[bank.pk]), {"action": "import"})
    response = client.get(reverse("quizzes:export", args=[bank.pk, "xlsx"]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "Phần mềm bảng tính?",
        "Phím tắt dán?",
    ]


def test_an_unknown_export_format_is_404(client, organiser, bank):
    client.force_login(organiser)
    assert client.get(reverse("quizzes:export", args=[bank.pk, "pdf"])).status_code == 404


def test_the_template_downloads(client, organiser):
    client.force_login(organiser)
    response = client.get(reverse("quizzes:template"))
    assert response.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames[0] == "Câu hỏi"


# --- Images ------------------------------------------------------------------------------------


def test_an_image_upload_is_checked_by_its_bytes_not_its_name(client, organiser, bank):
    client.force_login(organiser)
    url = reverse("quizzes:media_upload", args=[bank.pk])
    fake = SimpleUploadedFile("anh.png", b"<html>not an image</html>")
    response = client.post(url, {"image": fake}, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "không phải ảnh" in response.json()["errors"][0]
    assert not QuestionMedia.objects.exists()
    response = client.post(
        url, {"image": SimpleUploadedFile("a.png", tiny_png())}, headers={"Accept": "application/json"}
    )
    media = QuestionMedia.objects.get()
    assert response.json()["snippet"] == f'<img src="media:{media.sha256}" alt="">'


def test_an_oversized_image_is_refused(client, organiser, bank):
    client.force_login(organiser)
    big = SimpleUploadedFile("big.png", tiny_png() + b"\0" * (services.MAX_IMAGE_BYTES + 1))
    response = client.post(
        reverse("quizzes:media_upload", args=[bank.pk]),
        {"image": big},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert not QuestionMedia.objects.exists()


def close_file(response):
    """Close the streamed file without ``response.close()``, whose request_finished signal
    would close the test's database connection (inside its transaction, on PostgreSQL)."""
    for closer in response._resource_closers:
        closer()


def test_images_are_served_to_organisers_and_judges_only(client, edition, organiser, judge, contestant, bank):
    media = services.store_media(bank=bank, data=tiny_png(), name="a.png")
    url = reverse("quizzes:media", args=[bank.pk, media.sha256])
    client.force_login(organiser)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == tiny_png()
    close_file(response)
    client.force_login(judge)
    response = client.get(url)
    assert response.status_code == 200
    close_file(response)
    client.force_login(contestant.person.user)
    assert client.get(url).status_code == 403
    other = factories.make_user(username="btc-khac")
    factories.grant(user=other, edition=factories.make_edition(), role=RoleGrant.Role.ORGANISER)
    client.force_login(other)
    assert client.get(url).status_code == 403


def test_stems_point_their_images_at_the_authorised_view(client, organiser, bank):
    media = services.store_media(bank=bank, data=tiny_png(), name="a.png")
    client.force_login(organiser)
    data = {
        "qtype": "essay",
        "stem_html": f'Mô tả hình: <img src="media:{media.sha256}" alt="">',
        "default_points": "1",
    }
    body = client.post(reverse("quizzes:question_preview", args=[bank.pk]), data).content.decode()
    assert reverse("quizzes:media", args=[bank.pk, media.sha256]) in body


@pytest.mark.parametrize(("fmt", "marker"), [("gift", "::"), ("aiken", "ANSWER:"), ("moodlexml", "<quiz")])
def test_text_exports_download(client, organiser, bank, fmt, marker):
    client.force_login(organiser)
    upload(client, bank, docx_upload())
    client.post(reverse("quizzes:import_preview", args=[bank.pk]), {"action": "import"})
    response = client.get(reverse("quizzes:export", args=[bank.pk, fmt]))
    assert response.status_code == 200
    assert marker in response.content.decode()
    assert "Phần mềm bảng tính?" in response.content.decode()


def test_a_block_that_does_not_parse_is_listed_and_can_be_skipped(client, organiser, bank):
    client.force_login(organiser)
    gift = "::Q1:: Thủ đô? {=Hà Nội ~Huế}\n\n::Q2:: Câu hỏng {=A ~B\n"
    assert upload(client, bank, SimpleUploadedFile("bank.gift", gift.encode()), "gift").status_code == 302
    body = client.get(reverse("quizzes:import_preview", args=[bank.pk])).content.decode()
    assert "Dòng 3" in body
    assert "Nhập 1 câu hợp lệ, bỏ qua 1 câu lỗi" in body
    client.post(reverse("quizzes:import_preview", args=[bank.pk]), {"action": "skip_invalid"})
    assert list(Question.objects.values_list("current_version__name", flat=True)) == ["Q1"]
