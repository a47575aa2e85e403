import io
import zipfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from contest.exporters.tables import Column, Kind, QuestionCell, Table, breakdown_table
from contest.exporters.xlsx import render_xlsx, sheet_name

RANKING = Table(
    name="xep-hang",
    title="Xếp hạng cá nhân",
    columns=(
        Column("Hạng", Kind.INTEGER),
        Column("Họ và tên"),
        Column("Đơn vị"),
        Column("Điểm", Kind.DECIMAL),
        Column("Ngày thi", Kind.DATE),
        Column("Nộp bài lúc", Kind.DATETIME),
    ),
    rows=[
        [
            1,
            "Nguyễn Thị Ánh",
            "Công đoàn Quận Hoàn Kiếm",
            Decimal("9.75"),
            date(2026, 11, 27),
            datetime(2026, 11, 27, 2, 15, tzinfo=UTC),
        ],
        [2, "=1+1", '=HYPERLINK("http://x")', Decimal("8"), None, None],
        [3, "#N/A", "@SUM(A1)", Decimal("-1.5"), None, None],
        [4, "Trần Văn\x01 Bình", "+84 912 345 678", 7, None, None],
    ],
)


def workbook(*tables):
    return load_workbook(io.BytesIO(render_xlsx(tables)))


def test_values_and_types_survive_the_round_trip():
    sheet = workbook(RANKING)["Xếp hạng cá nhân"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Hạng", "Họ và tên", "Đơn vị", "Điểm", "Ngày thi", "Nộp bài lúc"]
    assert rows[1] == [
        1,
        "Nguyễn Thị Ánh",
        "Công đoàn Quận Hoàn Kiếm",
        9.75,
        datetime(2026, 11, 27),
        datetime(2026, 11, 27, 9, 15),  # shown in Vietnam time
    ]
    assert rows[3][3] == -1.5
    assert rows[4][1] == "Trần Văn Bình"
    assert [sheet.cell(row=r, column=4).data_type for r in range(2, 6)] == ["n"] * 4
    assert sheet.cell(row=2, column=1).data_type == "n"


def test_user_text_is_always_a_string_cell_never_a_formula_or_error():
    data = render_xlsx([RANKING])
    sheet = load_workbook(io.BytesIO(data))["Xếp hạng cá nhân"]
    for row in sheet.iter_rows(min_row=2, min_col=2, max_col=3):
        for cell in row:
            assert cell.data_type == "s", cell.value
    assert sheet["B3"].value == "=1+1"
    assert sheet["B4"].value == "#N/A"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml and b"<f " not in sheet_xml
    assert b't="e"' not in sheet_xml


def test_dates_use_the_vietnamese_day_month_year_format():
    sheet = workbook(RANKING)["Xếp hạng cá nhân"]
    assert sheet["E2"].number_format == "DD/MM/YYYY"
    assert sheet["F2"].number_format == "DD/MM/YYYY HH:MM:SS"


def test_the_header_row_is_frozen_bold_and_columns_have_sensible_widths():
    sheet = workbook(RANKING)["Xếp hạng cá nhân"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEF"}
    assert 6 <= widths["A"] <= 10
    assert widths["C"] >= len("Công đoàn Quận Hoàn Kiếm")
    assert all(width <= 50 for width in widths.values())


def test_a_fixed_width_is_kept():
    table = Table("a", "A", (Column("Ghi chú", width=42),), [["x"]])
    assert workbook(table)["A"].column_dimensions["A"].width == 42


def test_several_tables_become_sheets_in_the_order_given():
    teams = Table("doi", "Đội thi", (Column("Đội"),), [["Đội Hoàn Kiếm"]])
    assert workbook(RANKING, teams).sheetnames == ["Xếp hạng cá nhân", "Đội thi"]


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Vòng 1: Sơ khảo [A/B]*?", "Vòng 1- Sơ khảo -A-B---"),
        ("'Trích'", "Trích"),
        ("", "Trang"),
        ("Kết quả chi tiết từng câu hỏi của vòng chung kết", "Kết quả chi tiết từng câu hỏi c"),
    ],
)
def test_sheet_names_are_sanitised(title, name):
    assert sheet_name(title, set()) == name
    assert len(name) <= 31


def test_sheet_names_are_unique_ignoring_case_and_stay_short():
    taken: set[str] = set()
    long = "Kết quả chi tiết từng câu hỏi của vòng chung kết"
    assert [sheet_name(t, taken) for t in ["Vòng 1", "VÒNG 1", long, long]] == [
        "Vòng 1",
        "VÒNG 1 (2)",
        "Kết quả chi tiết từng câu hỏi c",
        "Kết quả chi tiết từng câu h (2)",
    ]


def test_the_per_question_breakdown_has_three_typed_columns_per_question():
    table = breakdown_table(
        name="chi-tiet",
        title="Chi tiết từng câu",
        lead_columns=(Column("Số báo danh"), Column("Họ và tên")),
        question_labels=["Câu 1", "Câu 2"],
        rows=[
            (
                ("TS001", "Lê Thị Hà"),
                [QuestionCell("B", True, Decimal(1)), QuestionCell("=2*3", False, Decimal(0))],
            ),
            (
                ("TS002", "Phạm Đức"),
                [QuestionCell(None, None, None), QuestionCell("A", True, Decimal("0.5"))],
            ),
        ],
    )
    sheet = workbook(table)["Chi tiết từng câu"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "Số báo danh",
        "Họ và tên",
        "Câu 1 – Trả lời",
        "Câu 1 – Đúng",
        "Câu 1 – Điểm",
        "Câu 2 – Trả lời",
        "Câu 2 – Đúng",
        "Câu 2 – Điểm",
    ]
    assert rows[1] == ["TS001", "Lê Thị Hà", "B", "Đúng", 1, "=2*3", "Sai", 0]
    assert rows[2] == ["TS002", "Phạm Đức", None, None, None, "A", "Đúng", 0.5]
    assert sheet["F2"].data_type == "s"


def test_a_breakdown_row_missing_a_question_is_refused():
    with pytest.raises(ValueError, match="đủ 2 câu"):
        breakdown_table(
            name="b",
            title="B",
            lead_columns=(),
            question_labels=["Câu 1", "Câu 2"],
            rows=[((), [QuestionCell("A", True, Decimal(1))])],
        )


def test_durations_are_numbers_of_days_formatted_as_hours_minutes_seconds():
    table = Table("t", "T", (Column("Thời gian làm bài", Kind.DURATION),), [[1112], [90000]])
    data = render_xlsx([table])
    sheet = load_workbook(io.BytesIO(data))["T"]
    assert sheet["A2"].number_format == "[h]:mm:ss"
    # openpyxl reads a number with a time format back as a timedelta: the cell holds a number.
    assert sheet["A2"].value == timedelta(seconds=1112)
    assert sheet["A3"].value == timedelta(hours=25)  # not wrapped to 1 hour
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b't="n"><v>0.01287037037037037</v>' in archive.read("xl/worksheets/sheet1.xml")
