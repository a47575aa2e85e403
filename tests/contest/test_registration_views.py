"""Registration pages: who may see and do what, and the upload -> preview -> confirm flow."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from contest.models import AuditLog, Registration
from contest.registration_import import COLUMNS
from tests import factories

pytestmark = pytest.mark.django_db
HEADER = ",".join(column.header for column in COLUMNS)


def upload(client, edition, text, name="ds.csv"):
    file = SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")
    return client.post(reverse("registration_import", args=[edition.slug]), {"file": file})


@pytest.fixture
def other_unit_contestant(edition):
    other = factories.make_unit(edition=edition, code="QBD", name="LĐLĐ quận Ba Đình")
    return factories.make_contestant(edition=edition, unit=other, full_name="Hoàng Văn Ẩn")


@pytest.mark.parametrize("page", ["unit_list", "registration_list", "team_list", "registration_import"])
def test_a_contestant_gets_403_on_registration_pages(client, edition, contestant, page):
    client.force_login(contestant.person.user)
    assert client.get(reverse(page, args=[edition.slug])).status_code == 403


@pytest.mark.parametrize("page", ["unit_list", "registration_list", "team_list", "registration_import"])
def test_a_judge_gets_403_on_registration_pages(client, edition, judge, page):
    client.force_login(judge)
    assert client.get(reverse(page, args=[edition.slug])).status_code == 403


def test_a_coordinator_sees_only_their_units_contestants(
    client, edition, coordinator, contestant, other_unit_contestant
):
    client.force_login(coordinator)
    body = client.get(reverse("registration_list", args=[edition.slug])).content.decode()
    assert contestant.person.full_name in body
    assert other_unit_contestant.person.full_name not in body
    units = client.get(reverse("unit_list", args=[edition.slug])).content.decode()
    assert "QHK" in units and "QBD" not in units


def test_an_organiser_sees_everyone_in_vietnamese_name_order(
    client, edition, organiser, contestant, other_unit_contestant
):
    factories.make_contestant(edition=edition, unit=contestant.unit, full_name="Bùi Thị Ánh")
    factories.make_contestant(edition=edition, unit=contestant.unit, full_name="Nguyễn Văn Anh")
    client.force_login(organiser)
    body = client.get(reverse("registration_list", args=[edition.slug])).content.decode()
    names = ["Nguyễn Văn Anh", "Bùi Thị Ánh", "Hoàng Văn Ẩn", "Phạm Thị Lan"]
    assert [body.index(name) for name in names] == sorted(body.index(name) for name in names)


def test_a_coordinator_cannot_reset_the_password_of_another_units_contestant(
    client, edition, coordinator, contestant, other_unit_contestant
):
    client.force_login(coordinator)
    url = reverse("registration_reprint", args=[edition.slug])
    response = client.post(url, {"registration": [contestant.pk, other_unit_contestant.pk]})
    assert response.status_code == 403
    assert not AuditLog.objects.filter(action="registration.password_reset").exists()
    other_user = other_unit_contestant.person.user
    other_user.refresh_from_db()
    assert other_user.check_password("matkhau-thu-1")


def test_a_coordinator_reprints_a_slip_of_their_unit_with_a_new_password(
    client, edition, coordinator, contestant
):
    client.force_login(coordinator)
    response = client.post(
        reverse("registration_reprint", args=[edition.slug]), {"registration": [contestant.pk]}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert contestant.person.full_name in body
    assert AuditLog.objects.get(action="registration.password_reset").actor_role == "coordinator"


def test_the_template_is_an_xlsx_with_vietnamese_headers_and_the_users_units(
    client, edition, coordinator, unit
):
    factories.make_unit(edition=edition, code="QBD")
    client.force_login(coordinator)
    response = client.get(reverse("registration_template", args=[edition.slug]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    headers = [cell.value for cell in workbook.worksheets[0][1]]
    assert headers[:8] == [
        "Họ và tên",
        "Ngày sinh (dd/mm/yyyy)",
        "Giới tính",
        "Mã đơn vị",
        "Chức vụ",
        "Email",
        "Số điện thoại",
        "Mã đội",
    ]
    assert [row[0] for row in workbook.worksheets[2].iter_rows(min_row=2, values_only=True)] == ["QHK"]


def test_preview_lists_every_row_with_errors_by_row_number_and_writes_nothing(
    client, edition, organiser, unit
):
    client.force_login(organiser)
    text = "\n".join(
        [
            HEADER,
            "Nguyễn Thị Hoa,05/03/1985,Nữ,QHK,,hoa@example.vn,,,có",
            ",01/01/1990,,QHK,,,,,",
            "Trần Văn Bình,32/01/1990,,XYZ,,binh@@x,,,",
        ]
    )
    response = upload(client, edition, text)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Thiếu họ và tên" in body
    assert "Mã đơn vị “XYZ” không có" in body
    assert "Email “binh@@x” không hợp lệ" in body
    assert "Ngày sinh “32/01/1990” không hợp lệ" in body
    assert '<th scope="row">4</th>' in body
    assert "Chưa ghi gì" in body
    assert Registration.objects.count() == 0
    assert client.post(reverse("registration_import_confirm", args=[edition.slug])).status_code == 302
    assert Registration.objects.count() == 0


def test_upload_preview_then_confirm_shows_slips_once(client, edition, organiser, unit):
    client.force_login(organiser)
    text = "\n".join([HEADER, "Nguyễn Thị Hoa,05/03/1985,Nữ,QHK,,,,,có", "Trần Văn Bình,,,QHK,,,,,"])
    preview = upload(client, edition, text)
    assert preview.status_code == 200
    assert "Xác nhận đăng ký 2 thí sinh" in preview.content.decode()
    assert Registration.objects.count() == 0

    response = client.post(reverse("registration_import_confirm", args=[edition.slug]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "Phiếu đăng nhập" in body
    assert "qhk001" in body and "qhk002" in body
    assert body.index("Trần Văn Bình") < body.index("Nguyễn Thị Hoa")  # Bình before Hoa
    assert Registration.objects.count() == 2

    again = client.post(reverse("registration_import_confirm", args=[edition.slug]))
    assert again.status_code == 302
    assert Registration.objects.count() == 2


def test_an_upload_without_a_file_is_refused(client, edition, organiser):
    client.force_login(organiser)
    response = client.post(reverse("registration_import", args=[edition.slug]))
    assert response.status_code == 400
