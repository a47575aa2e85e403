import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

from pypdf import PdfReader

from contest.exporters.documents import certificates, prize_sections
from contest.exporters.pdf import (
    Letterhead,
    OfficialDocument,
    Signatory,
    render_certificates,
    render_prize_list,
)
from contest.exporters.results import ContestantResult, TeamResult, UnitResult
from contest.prizes import PrizeLevel
from tests.contest.exporters.test_results import DATA

D = Decimal
FIRST, SECOND, THIRD, CONSOLATION = PrizeLevel
WINNERS = replace(
    DATA,
    units=DATA.units
    + (UnitResult("AA", "Công đoàn Viên chức Thành phố", None, 5, 5, D(100), D(4), D(104), 3),),
    contestants=DATA.contestants
    + (
        ContestantResult("TS004", "Vũ Thị Ánh", "AA", None, (), D(50), 4, CONSOLATION),
        ContestantResult("TS005", "Đỗ Minh Anh", "AA", None, (), D(50), 4, CONSOLATION),
        ContestantResult("TS006", "Phạm Văn Bình", "HK", None, (), D(60), 3, THIRD),
    ),
    teams=DATA.teams + (TeamResult("D2", "Đội Ba Đình", "BD", (), D(10), 2, THIRD),),
)
SIGNER = Signatory("Trưởng ban", on_behalf="TM. Ban Tổ chức", name="Trần Thị Hồng Nhung")


def test_prize_sections_list_each_level_with_winners_by_rank_then_name():
    sections = prize_sections(WINNERS)
    assert [s.heading for s in sections] == ["Giải Nhất", "Giải Ba", "Giải Khuyến khích"]
    assert sections[0].table.rows == [[1, "TS001", "=Nguyễn Thị Ánh", "Công đoàn Quận Hoàn Kiếm", D("94.63")]]
    assert [row[2] for row in sections[2].table.rows] == ["Đỗ Minh Anh", "Vũ Thị Ánh"]  # Anh before Ánh


def test_team_prize_sections():
    sections = prize_sections(WINNERS, teams=True)
    assert [(s.heading, [r[1] for r in s.table.rows]) for s in sections] == [
        ("Giải Nhất", ["Đội Hoàn Kiếm"]),
        ("Giải Ba", ["Đội Ba Đình"]),
    ]


def test_certificates_come_out_grouped_by_unit_then_prize_then_name():
    certs = certificates(
        WINNERS,
        issuer="Liên đoàn Lao động Thành phố Hà Nội",
        signatory=SIGNER,
        issued_on=date(2026, 11, 27),
        verification_url=lambda code: f"https://hoithi.example.vn/xac-minh/{code}",
        serial=lambda code: f"GCN-2026-{code}",
    )
    assert [(c.recipient_label, c.recipient, c.prize) for c in certs] == [
        ("Ông/Bà", "=Nguyễn Thị Ánh", "Giải Nhất"),
        ("Ông/Bà", "Phạm Văn Bình", "Giải Ba"),
        ("Ông/Bà", "Đỗ Minh Anh", "Giải Khuyến khích"),
        ("Ông/Bà", "Vũ Thị Ánh", "Giải Khuyến khích"),
        ("Đội thi", "Đội Ba Đình", "Giải Ba"),
        ("Đội thi", "Đội Hoàn Kiếm", "Giải Nhất"),
    ]
    assert certs[0].verification_url == "https://hoithi.example.vn/xac-minh/TS001"
    assert certs[0].serial == "GCN-2026-TS001"
    assert certs[0].edition == DATA.edition.name
    assert certs[0].unit == "Công đoàn Quận Hoàn Kiếm"


def test_certificates_for_one_unit_print_as_one_pdf():
    certs = certificates(
        WINNERS,
        issuer="Liên đoàn Lao động Thành phố Hà Nội",
        signatory=SIGNER,
        issued_on=date(2026, 11, 27),
        verification_url=lambda code: f"https://hoithi.example.vn/xac-minh/{code}",
        unit_code="AA",
    )
    assert [c.recipient for c in certs] == ["Đỗ Minh Anh", "Vũ Thị Ánh"]
    reader = PdfReader(io.BytesIO(render_certificates(certs)))
    assert len(reader.pages) == 2
    assert "Vũ Thị Ánh" in reader.pages[1].extract_text()


def test_the_prize_list_pdf_prints_from_the_sections():
    document = OfficialDocument(
        letterhead=Letterhead(
            "Liên đoàn Lao động\nThành phố Hà Nội", "Ban Tổ chức Hội thi", date(2026, 11, 27)
        ),
        title="Danh sách khen thưởng",
        signatories=(SIGNER,),
    )
    text = PdfReader(io.BytesIO(render_prize_list(document, prize_sections(WINNERS)))).pages[0].extract_text()
    assert "I. GIẢI NHẤT (1)" in text
    assert "III. GIẢI KHUYẾN KHÍCH (2)" in text
    assert "=Nguyễn Thị Ánh" in text
