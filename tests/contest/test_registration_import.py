"""The bulk-registration reader and row checks: pure, no database."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from contest.registration_import import (
    COLUMNS,
    Context,
    ImportFileError,
    KnownPerson,
    build_template,
    check_rows,
    detect_delimiter,
    normalise_phone,
    parse_date,
    read_table,
    username_prefix,
)

HEADER = [column.header for column in COLUMNS]
ROW = [
    "Nguyễn Thị Hoa",
    "05/03/1985",
    "Nữ",
    "QHK",
    "Chủ tịch CĐCS",
    "hoa@example.vn",
    "0912 345 678",
    "",
    "có",
]

CONTEXT = Context(
    unit_codes=frozenset({"QHK", "QBD"}),
    known_unit_codes=frozenset({"QHK", "QBD", "QDD"}),
    team_units={"DOI1": frozenset({"QHK"})},
    today=dt.date(2026, 11, 27),
)


def csv_bytes(rows, *, delimiter=",", encoding="utf-8") -> bytes:
    text = "\r\n".join(delimiter.join(cells) for cells in rows) + "\r\n"
    return text.encode(encoding)


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def checked(**changes):
    raw = dict(zip([c.key for c in COLUMNS], ROW, strict=True))
    raw.update(changes)
    return check_rows([(2, raw)], CONTEXT)[0]


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [
        (",", "utf-8"),
        (";", "utf-8"),
        (",", "utf-8-sig"),
        (";", "utf-8-sig"),
        (";", "utf-16"),
        (",", "utf-16"),
        ("\t", "utf-16"),
    ],
)
def test_it_reads_csv_in_utf8_or_utf16_with_comma_semicolon_or_tab(delimiter, encoding):
    rows = read_table("ds.csv", csv_bytes([HEADER, ROW], delimiter=delimiter, encoding=encoding))
    assert rows == [
        (2, dict(zip([c.key for c in COLUMNS], [*ROW[:6], "0912 345 678", "", "có"], strict=True)))
    ]
    assert rows[0][1]["full_name"] == "Nguyễn Thị Hoa"


def test_it_refuses_other_encodings_with_a_vietnamese_message():
    # Windows-1258, as an old Vietnamese Excel saves CSV: not valid UTF-8.
    data = "Tên;Đơn\nĐào Văn Ân;QHK\n".encode("cp1258")
    with pytest.raises(ImportFileError, match="UTF-8"):
        read_table("ds.csv", data)


def test_it_reads_an_xlsx_and_turns_date_cells_into_dates():
    data = xlsx_bytes(
        [HEADER, ["Trần Văn Bình", dt.datetime(1990, 1, 2), "Nam", "QBD", None, None, 912345678]]
    )
    rows = read_table("ds.xlsx", data)
    assert rows[0][0] == 2
    assert rows[0][1]["date_of_birth"] == "1990-01-02"
    assert checked(**rows[0][1]).values["date_of_birth"] == dt.date(1990, 1, 2)


def test_it_reads_back_its_own_template():
    template = build_template([("QHK", "LĐLĐ quận Hoàn Kiếm")])
    workbook = load_workbook(io.BytesIO(template))
    assert [cell.value for cell in workbook.worksheets[0][1]] == HEADER
    assert workbook.worksheets[2]["A2"].value == "QHK"
    with pytest.raises(ImportFileError, match="không có dòng dữ liệu"):
        read_table("mau.xlsx", template)


def test_headers_match_without_accents_or_case_and_in_any_order():
    rows = read_table("ds.csv", csv_bytes([["ma don vi", "HO VA TEN"], ["QHK", "Lê Văn Cường"]]))
    assert rows == [(2, {"unit_code": "QHK", "full_name": "Lê Văn Cường"})]


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("ds.csv", b"", "rỗng"),
        ("ds.pdf", b"%PDF", ".xlsx"),
        ("ds.csv", "Tên;Đơn vị\nA;B\n".encode(), "thiếu cột bắt buộc: Họ và tên, Mã đơn vị"),
        ("ds.xlsx", b"PK not really a zip", ".xlsx"),
        ("ds.csv", "Họ và tên,Mã đơn vị\n,\n".encode(), "không có dòng dữ liệu"),
    ],
    ids=["empty", "wrong-type", "missing-columns", "broken-xlsx", "no-rows"],
)
def test_it_refuses_unreadable_files_with_a_reason(filename, data, message):
    with pytest.raises(ImportFileError, match=message):
        read_table(filename, data)


def test_blank_rows_are_skipped_but_row_numbers_stay_those_of_the_sheet():
    rows = read_table("ds.csv", csv_bytes([HEADER, ROW, [""] * 9, ROW]))
    assert [number for number, _ in rows] == [2, 4]


def test_a_valid_row_has_no_errors_and_normalised_values():
    check = checked()
    assert check.ok, check.errors
    assert check.values["date_of_birth"] == dt.date(1985, 3, 5)
    assert check.values["gender"] == "F"
    assert check.values["phone"] == "0912345678"
    assert check.values["consent"] is True


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"full_name": ""}, "Thiếu họ và tên"),
        ({"full_name": "Hoa"}, "ít nhất họ và tên"),
        ({"unit_code": ""}, "Thiếu mã đơn vị"),
        ({"unit_code": "XYZ"}, "Mã đơn vị “XYZ” không có"),
        ({"unit_code": "QDD"}, "không phụ trách đơn vị “QDD”"),
        ({"email": "hoa@@example"}, "Email “hoa@@example” không hợp lệ"),
        ({"date_of_birth": "31/02/1985"}, "Ngày sinh “31/02/1985” không hợp lệ"),
        ({"date_of_birth": "1985"}, "không hợp lệ"),
        ({"date_of_birth": "01/01/2030"}, "không hợp lý"),
        ({"gender": "trai"}, "Giới tính"),
        ({"phone": "12345"}, "Số điện thoại"),
        ({"team_code": "DOI9"}, "Mã đội “DOI9” không có"),
        ({"team_code": "DOI1", "unit_code": "QBD"}, "không thuộc đơn vị “QBD”"),
        ({"consent": "chắc chắn"}, "chỉ nhận “có” hoặc “không”"),
    ],
)
def test_every_kind_of_bad_value_is_an_error_naming_the_value(changes, message):
    check = checked(**changes)
    assert not check.ok
    assert any(message in error for error in check.errors), check.errors


def test_dates_accept_dd_mm_yyyy_separators_and_iso_from_spreadsheets():
    assert (
        parse_date("5/3/1985") == parse_date("05-03-1985") == parse_date("1985-03-05") == dt.date(1985, 3, 5)
    )


def test_phones_in_international_form_become_local():
    assert normalise_phone("+84 912 345 678") == "0912345678"
    assert normalise_phone("84912345678") == "0912345678"


def test_same_name_and_birth_date_in_the_file_is_a_possible_duplicate_warning():
    a = dict(zip([c.key for c in COLUMNS], ROW, strict=True))
    b = {**a, "full_name": "nguyen thi  hoa", "email": "", "phone": ""}
    first, second = check_rows([(2, a), (3, b)], CONTEXT)
    assert first.ok and second.ok
    assert "cùng họ tên và ngày sinh với dòng 3" in " ".join(first.warnings)
    assert "dòng 2" in " ".join(second.warnings)
    # The same-unit warning is not repeated when the stronger one already names that row.
    assert len(second.warnings) == 1


def test_same_email_or_phone_is_a_warning():
    a = dict(zip([c.key for c in COLUMNS], ROW, strict=True))
    b = {**a, "full_name": "Phạm Văn Dũng", "date_of_birth": "", "email": "HOA@example.vn"}
    _first, second = check_rows([(2, a), (3, b)], CONTEXT)
    assert second.ok
    assert any("Cùng email với dòng 2" in w for w in second.warnings)
    assert any("Cùng số điện thoại với dòng 2" in w for w in second.warnings)


def test_same_name_in_one_unit_is_only_a_warning_and_not_across_units():
    a = {"full_name": "Lê Văn Nam", "unit_code": "QHK"}
    b = {"full_name": "Lê Văn Nam", "unit_code": "QHK"}
    c = {"full_name": "Lê Văn Nam", "unit_code": "QBD"}
    first, second, third = check_rows([(2, a), (3, b), (4, c)], CONTEXT)
    assert first.ok and second.ok and third.ok
    assert any("cùng đơn vị với dòng 3" in w for w in first.warnings)
    assert third.warnings == []


def test_people_already_registered_are_duplicates_too():
    known = KnownPerson("thí sinh qhk001", "nguyen thi hoa", dt.date(1985, 3, 5), "", "", "QHK")
    context = Context(**{**CONTEXT.__dict__, "known_people": (known,)})
    [check] = check_rows([(2, dict(zip([c.key for c in COLUMNS], ROW, strict=True)))], context)
    assert any("thí sinh qhk001" in w for w in check.warnings)


@pytest.mark.parametrize(
    ("text", "delimiter"), [("a;b;c", ";"), ("a,b,c", ","), ("a\tb", "\t"), ("a", ","), ("a,b;c;d", ";")]
)
def test_the_delimiter_is_the_commonest_separator_in_the_header(text, delimiter):
    assert detect_delimiter(text) == delimiter


@pytest.mark.parametrize(
    ("code", "prefix"), [("QHK", "qhk"), ("LĐLĐ-BĐ", "ldldbd"), ("CĐ Y tế", "cdyte"), ("--", "ts")]
)
def test_username_prefixes_are_lower_case_ascii(code, prefix):
    assert username_prefix(code) == prefix
