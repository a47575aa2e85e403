"""Every export read back from the files the export_results command writes: .xlsx with openpyxl,
the CSV zip byte by byte, the JSON against its schema, PDF text with pypdf, certificate QR targets."""

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import resolve
from openpyxl import load_workbook
from pypdf import PdfReader

from contest.models import AuditLog, Certificate, EditionScoring, Person
from contest.views.exports import certificate_verify
from tests.contest.exporters.export_helpers import NAMES, finished_edition

pytestmark = pytest.mark.django_db
SCHEMA = json.loads((Path(__file__).resolve().parents[3] / "docs" / "results.schema.json").read_text())


@pytest.fixture
def scenario(edition, organiser, settings):
    settings.HOITHI = {**settings.HOITHI, "PUBLIC_BASE_URL": "https://hoithi.example.vn"}
    return finished_edition(edition, organiser)


def export(scenario, fmt, tmp_path, *extra) -> bytes:
    out = tmp_path / f"out.{fmt}"
    call_command(
        "export_results", "--edition", scenario.edition.slug, "--format", fmt, "--out", str(out), *extra
    )
    return out.read_bytes()


def pdf_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_the_workbook_has_every_sheet_typed_values_and_no_formulas(scenario, tmp_path):
    workbook = load_workbook(io.BytesIO(export(scenario, "xlsx", tmp_path)))
    assert workbook.sheetnames == [
        "Xếp hạng cá nhân",
        "Vòng sơ khảo",
        "Xếp hạng đội",
        "Xếp hạng đơn vị",
        "Chi tiết Vòng sơ khảo",
        "Phân tích Vòng sơ khảo",
    ]
    ranking = workbook["Xếp hạng cá nhân"]
    assert ranking.freeze_panes == "A2"
    rows = list(ranking.iter_rows(values_only=True))
    assert rows[0] == ("Hạng", "Số báo danh", "Họ và tên", "Đơn vị", "Đội", "Điểm", "Giải")
    assert rows[1][:3] == (1, "TS01", "Nguyễn Thị Quỳnh Hương") and isinstance(rows[1][5], (int, float))
    assert rows[1][6] == "Giải Nhất"
    formula_name = [cell for row in ranking.iter_rows() for cell in row if cell.value == NAMES[3]]
    assert formula_name and formula_name[0].data_type == "s"
    for sheet in workbook:
        assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"], sheet.title
    detail = list(workbook["Chi tiết Vòng sơ khảo"].iter_rows(values_only=True))
    assert detail[0][:7] == (
        "Số báo danh",
        "Họ và tên",
        "Đơn vị",
        "Tổng điểm",
        "Câu 1 – Trả lời",
        "Câu 1 – Đúng",
        "Câu 1 – Điểm",
    )
    assert [row[1] for row in detail[1:]] == ["Lê Minh Đức", "Nguyễn Thị Quỳnh Hương", "Đỗ Văn Nam"]
    assert {row[5] for row in detail[1:]} <= {"Đúng", "Sai", True, False}


def test_the_csv_zip_has_a_bom_crlf_quoting_and_neutralised_formulas(scenario, tmp_path):
    archive = zipfile.ZipFile(io.BytesIO(export(scenario, "csv", tmp_path)))
    names = archive.namelist()
    assert (
        "xep-hang-ca-nhan.csv" in names and "chi-tiet-vong-1.csv" in names and "phan-tich-vong-1.csv" in names
    )
    ranking = archive.read("xep-hang-ca-nhan.csv")
    assert ranking.startswith(b"\xef\xbb\xbf")
    text = ranking.decode("utf-8-sig")
    assert "\r\n" in text and "Nguyễn Thị Quỳnh Hương" in text
    assert '"\'=HYPERLINK(""http://x"")"' in text  # apostrophe first, quotes doubled, field quoted
    again = zipfile.ZipFile(io.BytesIO(export(scenario, "csv", tmp_path)))
    assert [again.read(n) for n in names] == [archive.read(n) for n in names]


def test_the_json_matches_its_schema_and_is_byte_stable(scenario, tmp_path):
    from jsonschema import Draft202012Validator

    first = export(scenario, "json", tmp_path)
    Draft202012Validator(SCHEMA).validate(json.loads(first))
    assert export(scenario, "json", tmp_path) == first
    assert "Nguyễn Thị Quỳnh Hương".encode() in first


def test_the_result_list_pdf_carries_the_vietnamese_names_and_signature_blocks(scenario, tmp_path):
    text = "\n".join(pdf_text(export(scenario, "pdf", tmp_path)))
    for expected in [
        "KẾT QUẢ XẾP HẠNG CÁ NHÂN",
        "Nguyễn Thị Quỳnh Hương",
        "Đỗ Văn Nam",
        "TM. BAN GIÁM KHẢO",
        "Hội thi 2026",
    ]:
        assert expected in text, expected
    round_text = "\n".join(pdf_text(export(scenario, "pdf", tmp_path, "--round", "vong-1")))
    assert "Vòng sơ khảo".upper() in round_text.upper()


def test_the_prize_list_names_the_winners(scenario, tmp_path):
    text = "\n".join(pdf_text(export(scenario, "prizes", tmp_path)))
    assert "GIẢI NHẤT CÁ NHÂN" in text.upper() and "GIẢI NHẤT ĐỒNG ĐỘI" in text.upper()
    assert "Nguyễn Thị Quỳnh Hương" in text and "Đội Ba Đình" in text


def test_each_certificate_qr_target_is_its_verification_page(scenario, tmp_path, client):
    content = export(scenario, "certificates", tmp_path)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 3  # two people and one team
    texts = pdf_text(content)
    assert any("Nguyễn Thị Quỳnh Hương" in t and "GIẢI NHẤT" in t for t in texts)
    assert Certificate.objects.filter(edition=scenario.edition).count() == 3
    Person.objects.filter(full_name=NAMES[0]).update(public_consent_at=scenario.round.opens_at)
    for page in reader.pages:
        (uri,) = [annot.get_object()["/A"]["/URI"] for annot in page["/Annots"]]
        assert uri.startswith("https://hoithi.example.vn/chung-nhan/")
        path = urlparse(uri).path
        assert resolve(path).func is certificate_verify
        page_html = client.get(path).content.decode()
        assert "Giấy chứng nhận hợp lệ" in page_html and "Hội thi 2026" in page_html
    by_name = {
        c.registration.person.full_name: c for c in Certificate.objects.filter(registration__isnull=False)
    }
    consenting = client.get(
        urlparse(uri).path.replace(urlparse(uri).path.split("/")[-2], by_name[NAMES[0]].code)
    )
    assert NAMES[0] in consenting.content.decode() and "Giải Nhất" in consenting.content.decode()
    private = client.get(f"/chung-nhan/{by_name[NAMES[1]].code}/").content.decode()
    assert NAMES[1] not in private and "chưa đồng ý công khai" in private and "Giải Nhì" in private


def test_printing_again_per_unit_reuses_the_certificates(scenario, tmp_path):
    export(scenario, "certificates", tmp_path)
    codes = set(Certificate.objects.values_list("code", "serial"))
    ba_dinh = export(scenario, "certificates", tmp_path, "--unit", "BD")
    assert set(Certificate.objects.values_list("code", "serial")) == codes
    assert len(PdfReader(io.BytesIO(ba_dinh)).pages) == 3


def test_printing_again_after_the_prizes_changed_revokes_the_certificate_that_lost_its_prize(
    scenario, tmp_path, client
):
    export(scenario, "certificates", tmp_path)
    second = Certificate.objects.get(registration__person__full_name=NAMES[1])
    EditionScoring.objects.filter(edition=scenario.edition).update(individual_quotas={"first": 1})
    export(scenario, "certificates", tmp_path)
    second.refresh_from_db()
    assert second.revoked_at is not None
    assert Certificate.objects.filter(revoked_at__isnull=True).count() == 2  # the others stand
    page = client.get(f"/chung-nhan/{second.code}/").content.decode()
    assert "Giấy chứng nhận đã bị thu hồi" in page and "Giấy chứng nhận hợp lệ" not in page
    exported = AuditLog.objects.filter(action="results.exported").order_by("-id").first()
    assert exported.after["revoked"] == [second.serial]
    # The prize won back: the same certificate, valid again.
    EditionScoring.objects.filter(edition=scenario.edition).update(
        individual_quotas={"first": 1, "second": 1}
    )
    export(scenario, "certificates", tmp_path)
    second.refresh_from_db()
    assert (
        second.revoked_at is None
        and "Giấy chứng nhận hợp lệ" in client.get(f"/chung-nhan/{second.code}/").content.decode()
    )


def test_a_unit_without_winners_exits_1_with_a_message(scenario, tmp_path):
    with pytest.raises(CommandError, match="không có ai đạt giải") as error:
        export(scenario, "certificates", tmp_path, "--unit", "HK")
    assert error.value.returncode == 1
    assert not Certificate.objects.exists()  # refused before anything was issued


def test_an_unknown_certificate_code_is_404(client, db):
    assert client.get("/chung-nhan/khong-co/").status_code == 404


def test_usage_errors_exit_2_and_every_export_is_audited(scenario, tmp_path):
    for args in (
        ["--edition", "khong-co", "--format", "json"],
        ["--edition", scenario.edition.slug, "--format", "docx"],
        ["--edition", scenario.edition.slug, "--format", "json", "--round", "thi-thu"],
        ["--edition", scenario.edition.slug, "--format", "xlsx", "--unit", "BD"],
    ):
        with pytest.raises(CommandError) as error:
            call_command("export_results", *args, "--out", str(tmp_path / "x"))
        assert error.value.returncode == 2
    export(scenario, "json", tmp_path)
    row = AuditLog.objects.get(action="results.exported")
    assert row.after == {"format": "json", "round": None, "unit": None} and row.actor_role == "command"
    assert row.created_at - scenario.round.opens_at > timedelta(0)


def test_prizes_and_certificates_wait_for_a_pending_tie_decision(scenario, tmp_path):
    from tests.contest.scoring_helpers import answer_all, contestants

    (twin,) = contestants(scenario.edition, 1)
    answer_all(scenario.round, twin, ["a", "a", "a"])  # ties TS01 for the single first prize
    for fmt in ("prizes", "certificates"):
        with pytest.raises(CommandError, match="đồng hạng"):
            export(scenario, fmt, tmp_path)
    assert not Certificate.objects.exists()
    export(scenario, "pdf", tmp_path)  # the ranked list itself can still be printed
