import csv
import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from contest.exporters.csv_safe import BOM, neutralise, render_csv, render_csv_zip
from contest.exporters.tables import Column, Kind, Table

COLUMNS = (
    Column("Hạng", Kind.INTEGER),
    Column("Họ và tên"),
    Column("Đơn vị"),
    Column("Điểm", Kind.DECIMAL),
    Column("Ngày sinh", Kind.DATE),
    Column("Nộp bài lúc", Kind.DATETIME),
    Column("Đúng", Kind.BOOLEAN),
)


def table(rows, name="xep-hang"):
    return Table(name=name, title="Xếp hạng cá nhân", columns=COLUMNS, rows=rows)


def read_back(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM.encode("utf-8"))
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


ROW = [1, "Nguyễn Thị Ánh", "Công đoàn Quận Hoàn Kiếm", Decimal("9.75"), date(1990, 3, 7), None, True]


def test_it_writes_utf8_with_a_bom_and_crlf_line_ends():
    data = render_csv(table([ROW]))
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 2
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert read_back(data) == [
        ["Hạng", "Họ và tên", "Đơn vị", "Điểm", "Ngày sinh", "Nộp bài lúc", "Đúng"],
        ["1", "Nguyễn Thị Ánh", "Công đoàn Quận Hoàn Kiếm", "9.75", "07/03/1990", "", "Đúng"],
    ]


def test_vietnamese_is_written_composed_whatever_the_input():
    decomposed = "Nguye\u0302\u0303n Va\u0306n A\u0301nh"
    data = render_csv(table([[1, decomposed, "", None, None, None, None]]))
    assert read_back(data)[1][1] == "Nguyễn Văn Ánh"


def test_times_are_shown_in_vietnam_time():
    row = [1, "A", "", None, None, datetime(2026, 11, 27, 17, 30, 5, tzinfo=UTC), False]
    assert read_back(render_csv(table([row])))[1][5:] == ["28/11/2026 00:30:05", "Sai"]


def test_fields_with_commas_quotes_and_line_breaks_are_quoted_rfc4180_style():
    row = [1, 'Lê "Bé" Ba, Jr.', "Dòng 1\r\nDòng 2", None, None, None, None]
    data = render_csv(table([row]))
    assert b'"L\xc3\xaa ""B\xc3\xa9"" Ba, Jr."' in data
    assert read_back(data)[1][1:3] == ['Lê "Bé" Ba, Jr.', "Dòng 1\r\nDòng 2"]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://x","bấm")', '\'=HYPERLINK("http://x","bấm")'),
        ("+84 912", "'+84 912"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Trần = Lê", "Trần = Lê"),
        ("0912345678", "0912345678"),
        ("", ""),
    ],
)
def test_user_text_that_a_spreadsheet_would_run_is_neutralised(text, written):
    assert neutralise(text) == written
    data = render_csv(table([[1, text, "", None, None, None, None]]))
    assert read_back(data)[1][1] == written


def test_numbers_stay_numbers_even_when_negative():
    data = render_csv(table([[-1, "A", "", Decimal("-2.5"), None, None, None]]))
    assert read_back(data)[1][0] == "-1"
    assert read_back(data)[1][3] == "-2.5"


def test_control_characters_are_dropped():
    data = render_csv(table([[1, "A\x00B\x07C", "", None, None, None, None]]))
    assert read_back(data)[1][1] == "ABC"


def test_the_same_data_gives_byte_identical_csv():
    assert render_csv(table([ROW, ROW])) == render_csv(table([list(ROW), list(ROW)]))


def test_a_wrong_row_is_refused_before_anything_is_written():
    with pytest.raises(ValueError, match="dòng 2: có 2 ô, cần 7"):
        render_csv(table([ROW, [1, "x"]]))
    with pytest.raises(ValueError, match="dòng 1, cột “Điểm”"):
        render_csv(table([[1, "A", "", "9.5", None, None, None]]))
    with pytest.raises(ValueError, match="cột “Hạng”"):
        render_csv(table([[True, "A", "", None, None, None, None]]))
    with pytest.raises(ValueError, match="cột “Ngày sinh”"):
        render_csv(table([[1, "A", "", None, datetime(2026, 1, 1, tzinfo=UTC), None, None]]))


def test_several_tables_make_a_deterministic_zip_of_csv_files_sorted_by_name():
    tables = [table([ROW], name="xep-hang"), table([], name="don-vi")]
    data = render_csv_zip(tables)
    assert data == render_csv_zip(list(reversed(tables)))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == ["don-vi.csv", "xep-hang.csv"]
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.read("xep-hang.csv") == render_csv(tables[0])


def test_two_tables_with_one_file_name_are_refused():
    with pytest.raises(ValueError, match="share a file name"):
        render_csv_zip([table([]), table([])])


def test_a_table_name_must_be_a_safe_file_stem():
    with pytest.raises(ValueError, match="file stem"):
        table([], name="../xếp hạng")


def test_durations_are_written_as_hours_minutes_seconds():
    duration = Table(
        "t", "T", (Column("Thời gian làm bài", Kind.DURATION),), [[1112], [Decimal("3725.9")], [0]]
    )
    assert [row[0] for row in read_back(render_csv(duration))[1:]] == ["0:18:32", "1:02:05", "0:00:00"]
