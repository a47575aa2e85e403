import io
import shutil
import subprocess
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import segno
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from contest.exporters.certificate_art import qr_matrix
from contest.exporters.pdf import (
    _FONT_FILES,
    FONT_DIR,
    ROWS_KEPT_WITH_SIGNATURES,
    Certificate,
    Letterhead,
    OfficialDocument,
    PrizeSection,
    Signatory,
    render_certificates,
    render_prize_list,
    render_result_list,
    vietnamese_date,
)
from contest.exporters.tables import Column, Kind, Table
from tests.conftest import skip_or_fail

VIETNAMESE_LETTERS = (
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
)
HEAD = Letterhead(
    parent_body="Liên đoàn Lao động\nThành phố Hà Nội",
    issuing_body="Ban Tổ chức Hội thi",
    issued_on=date(2026, 1, 5),
    reference="Số: 12/KQ-BTC",
)
DOCUMENT = OfficialDocument(
    letterhead=HEAD,
    title="Kết quả xếp hạng cá nhân",
    subtitle=("Hội thi Tin học cán bộ công đoàn Thủ đô năm 2026", "Vòng chung kết"),
    signatories=(
        Signatory("Trưởng ban", on_behalf="TM. Ban Giám khảo", name="Nguyễn Văn Thắng"),
        Signatory("Trưởng Ban Tổ chức"),
    ),
    notes=("Danh sách gồm các thí sinh dự vòng chung kết.",),
)
COLUMNS = (
    Column("Hạng", Kind.INTEGER),
    Column("Số báo danh"),
    Column("Họ và tên"),
    Column("Đơn vị"),
    Column("Điểm", Kind.DECIMAL),
    Column("Thời gian làm bài", Kind.DURATION),
)
# Decomposed on purpose: the PDF must carry the composed (NFC) letters.
DECOMPOSED_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Quỳnh Hương")


def ranking_table(count: int) -> Table:
    rows = [
        [i, f"TS{i:04d}", f"Trần Văn Ước {i}", "Công đoàn Quận Hoàn Kiếm", Decimal("9.75"), 1112]
        for i in range(1, count + 1)
    ]
    rows[0][2] = DECOMPOSED_NAME
    return Table(name="xep-hang", title="Xếp hạng", columns=COLUMNS, rows=rows)


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def result_list() -> bytes:
    return render_result_list(DOCUMENT, ranking_table(60))


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 1, 5), "Hà Nội, ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 28), "Hà Nội, ngày 28 tháng 02 năm 2026"),
        (date(2026, 11, 27), "Hà Nội, ngày 27 tháng 11 năm 2026"),
        (date(2026, 3, 9), "Hà Nội, ngày 09 tháng 3 năm 2026"),
    ],
)
def test_dates_are_written_the_administrative_way(day, text):
    assert vietnamese_date("Hà Nội", day) == text


def test_the_result_list_has_the_official_heading_title_and_composed_vietnamese(result_list):
    first = pages_text(result_list)[0]
    for expected in [
        "LIÊN ĐOÀN LAO ĐỘNG\nTHÀNH PHỐ HÀ NỘI",
        "BAN TỔ CHỨC HỘI THI",
        "Số: 12/KQ-BTC",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Hà Nội, ngày 05 tháng 01 năm 2026",
        "KẾT QUẢ XẾP HẠNG CÁ NHÂN",
        "Vòng chung kết",
        "Nguyễn Thị Quỳnh Hương",
        "Công đoàn Quận Hoàn Kiếm",
    ]:
        assert expected in first, expected
    assert unicodedata.is_normalized("NFC", first)


def test_printed_numbers_use_the_decimal_comma_and_durations_h_mm_ss(result_list):
    first = pages_text(result_list)[0]
    assert "TS0001 Nguyễn Thị Quỳnh Hương Công đoàn Quận Hoàn Kiếm 9,75 0:18:32" in first


def test_the_header_row_repeats_on_every_page(result_list):
    pages = pages_text(result_list)
    assert len(pages) >= 2
    for text in pages:
        assert "Số báo danh Họ và tên Đơn vị" in text
    assert "TS0060" in pages[-1]


def test_signature_blocks_close_the_list(result_list):
    last = pages_text(result_list)[-1]
    assert "TM. BAN GIÁM KHẢO\nTRƯỞNG BAN" in last
    assert "Nguyễn Văn Thắng" in last
    assert "TRƯỞNG BAN TỔ CHỨC" in last
    assert "(Ký, ghi rõ họ tên)" in last  # the unnamed signer writes their name by hand
    assert "Danh sách gồm các thí sinh" in last


def test_the_signatures_never_stand_alone_on_a_page():
    """Across lengths that fill the first page to every depth, the page with the signatures
    always carries the end of the table too: when they would have stood alone, the last rows
    were moved to their page."""
    moved = 0
    for count in range(12, 19):
        pages = pages_text(render_result_list(DOCUMENT, ranking_table(count)))
        assert f"TS{count:04d}" in pages[-1], count
        assert "TRƯỞNG BAN" in pages[-1]
        kept = [f"TS{n:04d}" for n in range(count - ROWS_KEPT_WITH_SIGNATURES + 1, count + 1)]
        if (
            len(pages) == 2
            and all(code in pages[1] for code in kept)
            and f"TS{count - ROWS_KEPT_WITH_SIGNATURES:04d}" in pages[0]
        ):
            moved += 1
    assert moved, "no length made the signatures move; widen the range"


def test_the_same_input_gives_the_same_bytes(result_list):
    assert render_result_list(DOCUMENT, ranking_table(60)) == result_list


def test_the_prize_list_has_a_numbered_section_per_level():
    winners = Table(
        "g", "g", (Column("STT", Kind.INTEGER), Column("Họ và tên")), [[1, "Lê Thị Hà"], [2, "Phạm Đức Ước"]]
    )
    data = render_prize_list(
        OfficialDocument(
            letterhead=HEAD,
            title="Danh sách khen thưởng",
            signatories=(Signatory("Trưởng ban", "TM. Ban Tổ chức"),),
        ),
        [PrizeSection("Giải Nhất", winners), PrizeSection("Giải Khuyến khích", winners)],
    )
    text = "\n".join(pages_text(data))
    assert "DANH SÁCH KHEN THƯỞNG" in text
    assert "I. GIẢI NHẤT (2)" in text
    assert "II. GIẢI KHUYẾN KHÍCH (2)" in text
    assert text.count("Phạm Đức Ước") == 2


CERTIFICATES = [
    Certificate(
        recipient_label="Ông/Bà",
        recipient=DECOMPOSED_NAME,
        unit="Công đoàn Tổng Công ty Điện lực Thành phố Hà Nội",
        prize="Giải Nhất",
        edition="Hội thi Tin học cán bộ công đoàn Thủ đô năm 2026",
        issuer="Liên đoàn Lao động Thành phố Hà Nội",
        issued_on=date(2026, 11, 27),
        signatory=Signatory("Trưởng ban", on_behalf="TM. Ban Tổ chức", name="Trần Thị Hồng Nhung"),
        verification_url="https://hoithi.example.vn/xac-minh/7F3K-92QX-LM4T",
        serial="GCN-2026-0001",
    ),
    Certificate(
        recipient_label="Đội thi",
        recipient="Công đoàn Quận Hoàn Kiếm",
        unit="",
        prize="Giải Khuyến khích",
        edition="Hội thi Tin học cán bộ công đoàn Thủ đô năm 2026",
        issuer="Liên đoàn Lao động Thành phố Hà Nội",
        issued_on=date(2026, 11, 27),
        signatory=Signatory("Trưởng ban", on_behalf="TM. Ban Tổ chức"),
        verification_url="https://hoithi.example.vn/xac-minh/AB12",
    ),
]


@pytest.fixture(scope="module")
def certificates() -> bytes:
    return render_certificates(CERTIFICATES)


def test_bulk_certificates_are_one_landscape_a4_page_each(certificates):
    reader = PdfReader(io.BytesIO(certificates))
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)


def test_a_certificate_names_the_person_unit_prize_and_edition(certificates):
    text = pages_text(certificates)[0]
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "LIÊN ĐOÀN LAO ĐỘNG THÀNH PHỐ HÀ NỘI",
        "GIẤY CHỨNG NHẬN",
        "Chứng nhận Ông/Bà:",
        "Nguyễn Thị Quỳnh Hương",
        "Đơn vị: Công đoàn Tổng Công ty Điện lực Thành phố Hà Nội",
        "GIẢI NHẤT",
        "tại Hội thi Tin học cán bộ công đoàn Thủ đô năm 2026",
        "Hà Nội, ngày 27 tháng 11 năm 2026",
        "TM. BAN TỔ CHỨC",
        "Trần Thị Hồng Nhung",
        "Số: GCN-2026-0001",
    ]:
        assert expected in text, expected
    assert "Chứng nhận Đội thi:" in pages_text(certificates)[1]


def test_each_certificate_links_its_qr_code_to_its_verification_url(certificates):
    reader = PdfReader(io.BytesIO(certificates))
    for page, cert in zip(reader.pages, CERTIFICATES, strict=True):
        uris = [annot.get_object()["/A"]["/URI"] for annot in page["/Annots"]]
        assert uris == [cert.verification_url]


def test_the_qr_code_is_segnos_code_for_the_url():
    url = CERTIFICATES[0].verification_url
    expected = segno.make(url, error="m", micro=False)
    assert qr_matrix(url) == tuple(tuple(bool(m) for m in row) for row in expected.matrix)
    assert expected.designator.endswith("-M")


def test_the_printed_qr_code_decodes_to_the_url(certificates, tmp_path):
    if not (shutil.which("pdftoppm") and shutil.which("zbarimg")):
        skip_or_fail("needs pdftoppm (poppler-utils) and zbarimg (zbar-tools)")
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(certificates)
    subprocess.run(
        ["pdftoppm", "-r", "100", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "p")], check=True
    )
    (image,) = tmp_path.glob("p*.png")
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True, check=True
    )
    assert decoded.stdout.strip() == CERTIFICATES[0].verification_url


def test_no_certificates_is_a_clear_error():
    with pytest.raises(ValueError, match="Không có giấy chứng nhận"):
        render_certificates([])


def test_the_shipped_fonts_cover_every_vietnamese_letter_and_carry_their_licence():
    letters = VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper()
    for file_name in _FONT_FILES.values():
        cmap = TTFont(FONT_DIR / file_name).getBestCmap()
        assert [ch for ch in letters if ord(ch) not in cmap] == [], file_name
    licence = (Path(FONT_DIR) / "LICENSE-DejaVu.txt").read_text()
    assert "Bitstream Vera" in licence and "Permission is hereby granted" in licence
