"""Reading and checking a bulk-registration file. Pure: no database access.

Unit coordinators fill the template in Excel, LibreOffice or by exporting from another list,
so the reader accepts what those tools actually write: .xlsx, and CSV in UTF-8 (with or
without the BOM Excel adds), or UTF-16 (Excel's "Unicode text"), separated by commas,
semicolons (Excel in a Vietnamese locale) or tabs. Any other encoding is refused rather than
guessed, because a wrongly guessed encoding silently mangles Vietnamese names.

:func:`read_table` turns the file into rows; :func:`check_rows` validates every row and finds
possible duplicates, against the file itself and against people already known, so the preview
can show every problem by row number before anything is written.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from quizzes.importers.archive_guard import ArchiveRefused, check_archive

from .vietnamese import fold_spaces, nfc

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
HEADER_ROW = 1


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()

    def matches(self, text: str) -> bool:
        folded = fold_spaces(text)
        return folded == fold_spaces(self.header) or folded in self.aliases


COLUMNS = (
    Column("full_name", "Họ và tên", required=True, aliases=("ho ten", "ho va ten", "full name")),
    Column("date_of_birth", "Ngày sinh (dd/mm/yyyy)", aliases=("ngay sinh", "date of birth")),
    Column("gender", "Giới tính", aliases=("gioi tinh", "gender")),
    Column("unit_code", "Mã đơn vị", required=True, aliases=("ma don vi", "unit code")),
    Column("position", "Chức vụ", aliases=("chuc vu", "position")),
    Column("email", "Email", aliases=("thu dien tu", "e-mail")),
    Column("phone", "Số điện thoại", aliases=("dien thoai", "sdt", "phone")),
    Column("team_code", "Mã đội", aliases=("ma doi thi", "team code")),
    Column("consent", "Đồng ý công khai (có/không)", aliases=("dong y cong khai", "consent")),
)

_GENDERS = {"nam": "M", "m": "M", "male": "M", "nu": "F", "f": "F", "female": "F", "khac": "O", "other": "O"}
_YES = {"co", "x", "yes", "y", "1", "dong y"}
_NO = {"khong", "no", "n", "0", ""}
_DATE_RE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")
_PHONE_RE = re.compile(r"^0\d{9,10}$")


class ImportFileError(ValueError):
    """The file as a whole cannot be read; ``str()`` is the translated reason."""


@dataclass
class RowCheck:
    """One data row after checking: normalised values and its problems."""

    number: int  # the row as the spreadsheet numbers it (the header is row 1)
    raw: dict[str, str]
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class KnownPerson:
    """Someone already in the database, as far as duplicate detection needs to know."""

    label: str  # what a warning may say about them (a registration code, or a neutral phrase)
    folded_name: str
    date_of_birth: dt.date | None
    email: str
    phone: str
    unit_code: str


@dataclass(frozen=True)
class Context:
    """What rows are checked against; built by the service from the database."""

    unit_codes: frozenset[str]  # units the uploader may register people in (upper-case)
    known_unit_codes: frozenset[str]  # every unit of the edition (upper-case)
    team_units: dict[str, frozenset[str]]  # team code -> unit codes whose people may join it
    known_people: tuple[KnownPerson, ...] = ()
    today: dt.date | None = None


# --- Reading ---------------------------------------------------------------------------


def read_table(filename: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """Return ``[(row number, {column key: text})]`` for every non-blank data row."""
    if not content:
        raise ImportFileError(_("Tệp tải lên rỗng."))
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(_("Tệp quá lớn; giới hạn là 2 MB."))
    name = filename.lower()
    if name.endswith(".xlsx"):
        grid = _xlsx_grid(content)
    elif name.endswith((".csv", ".txt")):
        grid = _csv_grid(content)
    else:
        raise ImportFileError(_("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))
    return _rows_from_grid(grid)


def _xlsx_grid(content: bytes) -> list[list]:
    from openpyxl import load_workbook  # imported here: only uploads need it

    try:
        check_archive(content, kind=".xlsx")
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except ArchiveRefused as exc:
        raise ImportFileError(str(exc)) from None
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise ImportFileError(_("Không đọc được tệp Excel; hãy lưu lại dưới dạng .xlsx.")) from None
    try:
        sheet = workbook.worksheets[0]
        grid = []
        for row in sheet.iter_rows(values_only=True):
            grid.append(list(row))
            if len(grid) > MAX_ROWS + HEADER_ROW + 50:
                break
        return grid
    finally:
        workbook.close()


def decode_csv(content: bytes) -> str:
    """UTF-8 (BOM optional) or UTF-16 (with a BOM); anything else is refused."""
    if content.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    try:
        return content.decode(encoding)
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "Tệp CSV không ở bảng mã UTF-8 hoặc UTF-16 (có thể là TCVN3/VNI hay Windows-1258). "
                "Trong Excel hãy chọn Lưu thành “CSV UTF-8”, hoặc tải lên tệp .xlsx."
            )
        ) from None


def detect_delimiter(first_line: str) -> str:
    """The separator used in the header line: whichever of ; , tab occurs most."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_grid(content: bytes) -> list[list]:
    text = decode_csv(content)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=detect_delimiter(first_line))
    try:
        return list(reader)
    except csv.Error as exc:
        raise ImportFileError(_("Tệp CSV hỏng: %(reason)s") % {"reason": exc}) from None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(" ".join(str(value).split()))


def _rows_from_grid(grid: list[list]) -> list[tuple[int, dict[str, str]]]:
    if not grid:
        raise ImportFileError(_("Tệp không có dòng tiêu đề."))
    headers = [_cell_text(cell) for cell in grid[0]]
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        for column in COLUMNS:
            if column.key not in positions and header and column.matches(header):
                positions[column.key] = index
    missing = [column.header for column in COLUMNS if column.required and column.key not in positions]
    if missing:
        raise ImportFileError(
            _("Dòng 1 thiếu cột bắt buộc: %(columns)s. Hãy dùng tệp mẫu.") % {"columns": ", ".join(missing)}
        )
    rows = []
    for offset, cells in enumerate(grid[1:], start=HEADER_ROW + 1):
        values = {
            key: _cell_text(cells[index]) if index < len(cells) else "" for key, index in positions.items()
        }
        if any(values.values()):
            rows.append((offset, values))
    if not rows:
        raise ImportFileError(_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(_("Tệp có quá %(max)s dòng; hãy chia thành nhiều tệp.") % {"max": MAX_ROWS})
    return rows


# --- Checking --------------------------------------------------------------------------


def parse_date(text: str) -> dt.date:
    """dd/mm/yyyy (also with - or .), or the ISO form a spreadsheet date cell becomes."""
    match = _DATE_RE.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _ISO_DATE_RE.match(text)
        if not match:
            raise ValueError(text)
        year, month, day = (int(part) for part in match.groups())
    return dt.date(year, month, day)


def normalise_phone(text: str) -> str:
    """Digits only, +84/84 turned into the leading 0 Vietnamese numbers are written with."""
    digits = re.sub(r"[\s.\-()]", "", text)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


def _check_values(raw: dict[str, str], context: Context) -> tuple[dict, list[str]]:
    errors: list[str] = []
    values: dict = {}

    full_name = raw.get("full_name", "")
    if not full_name:
        errors.append(_("Thiếu họ và tên."))
    elif len(full_name) > 150 or len(full_name.split()) < 2:
        errors.append(
            _("Họ và tên “%(name)s” phải có ít nhất họ và tên, tối đa 150 ký tự.") % {"name": full_name}
        )
    values["full_name"] = full_name

    values["date_of_birth"] = None
    if text := raw.get("date_of_birth", ""):
        try:
            born = parse_date(text)
        except ValueError:
            errors.append(_("Ngày sinh “%(value)s” không hợp lệ; hãy ghi dd/mm/yyyy.") % {"value": text})
        else:
            if born.year < 1930 or (context.today and born > context.today):
                errors.append(_("Ngày sinh “%(value)s” không hợp lý.") % {"value": text})
            values["date_of_birth"] = born

    gender = raw.get("gender", "")
    values["gender"] = _GENDERS.get(fold_spaces(gender), "")
    if gender and not values["gender"]:
        errors.append(_("Giới tính “%(value)s” không hợp lệ; ghi Nam, Nữ hoặc Khác.") % {"value": gender})

    unit_code = raw.get("unit_code", "").upper()
    values["unit_code"] = unit_code
    if not unit_code:
        errors.append(_("Thiếu mã đơn vị."))
    elif unit_code not in context.known_unit_codes:
        errors.append(_("Mã đơn vị “%(code)s” không có trong kỳ hội thi này.") % {"code": unit_code})
    elif unit_code not in context.unit_codes:
        errors.append(_("Bạn không phụ trách đơn vị “%(code)s”.") % {"code": unit_code})

    values["position"] = raw.get("position", "")[:200]

    email = raw.get("email", "").lower()
    values["email"] = email
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("Email “%(value)s” không hợp lệ.") % {"value": raw["email"]})

    phone = raw.get("phone", "")
    values["phone"] = normalise_phone(phone) if phone else ""
    if phone and not _PHONE_RE.match(values["phone"]):
        errors.append(_("Số điện thoại “%(value)s” không hợp lệ.") % {"value": phone})

    team_code = raw.get("team_code", "").upper()
    values["team_code"] = team_code
    if team_code:
        allowed_units = context.team_units.get(team_code)
        if allowed_units is None:
            errors.append(_("Mã đội “%(code)s” không có trong kỳ hội thi này.") % {"code": team_code})
        elif unit_code and unit_code not in allowed_units:
            errors.append(
                _("Đội “%(code)s” không thuộc đơn vị “%(unit)s”.") % {"code": team_code, "unit": unit_code}
            )

    consent = fold_spaces(raw.get("consent", ""))
    values["consent"] = consent in _YES
    if consent not in _YES and consent not in _NO:
        errors.append(
            _("Cột đồng ý công khai chỉ nhận “có” hoặc “không”, không phải “%(value)s”.")
            % {"value": raw["consent"]}
        )
    return values, errors


def _duplicate_warnings(checks: list[RowCheck], known_people: tuple[KnownPerson, ...]) -> None:
    """Warn, never refuse: two officials may share a name, or a shared office phone."""
    people = [
        (
            _("dòng %(row)s") % {"row": check.number},
            fold_spaces(check.values.get("full_name", "")),
            check.values.get("date_of_birth"),
            check.values.get("email", ""),
            check.values.get("phone", ""),
            check.values.get("unit_code", ""),
            check,
        )
        for check in checks
    ]
    people += [
        (p.label, p.folded_name, p.date_of_birth, p.email, p.phone, p.unit_code, None) for p in known_people
    ]
    by_key: dict[tuple, list] = {}
    for person in people:
        label, name, born, email, phone, unit_code, _check = person
        if name and born:
            by_key.setdefault(("name_dob", name, born), []).append(person)
        if name and unit_code:
            by_key.setdefault(("name_unit", name, unit_code), []).append(person)
        if email:
            by_key.setdefault(("email", email), []).append(person)
        if phone:
            by_key.setdefault(("phone", phone), []).append(person)
    messages = {
        "name_dob": _("Có thể trùng người: cùng họ tên và ngày sinh với %(others)s."),
        "name_unit": _("Trùng họ tên trong cùng đơn vị với %(others)s."),
        "email": _("Cùng email với %(others)s."),
        "phone": _("Cùng số điện thoại với %(others)s."),
    }
    # Same name and birth date already says more than same name in the same unit.
    same_person: dict[int, set[str]] = {}
    for key, group in sorted(by_key.items(), key=lambda item: item[0][0] != "name_dob"):
        if len(group) < 2:
            continue
        for person in group:
            check = person[-1]
            if check is None:
                continue
            others = [other[0] for other in group if other is not person]
            if key[0] == "name_dob":
                same_person.setdefault(id(check), set()).update(others)
            elif key[0] == "name_unit" and set(others) <= same_person.get(id(check), set()):
                continue
            check.warnings.append(messages[key[0]] % {"others": ", ".join(others)})


def check_rows(rows: list[tuple[int, dict[str, str]]], context: Context) -> list[RowCheck]:
    """Check every row and add duplicate warnings; returns one :class:`RowCheck` per row."""
    checks = []
    for number, raw in rows:
        values, errors = _check_values(raw, context)
        checks.append(RowCheck(number=number, raw=raw, values=values, errors=errors))
    _duplicate_warnings(checks, context.known_people)
    return checks


def username_prefix(unit_code: str) -> str:
    """Lower-case ASCII letters and digits of a unit code: "LĐLĐ-BĐ" -> "ldldbd"."""
    return re.sub(r"[^a-z0-9]", "", fold_spaces(unit_code)) or "ts"


def build_template(units: list[tuple[str, str]]) -> bytes:
    """The .xlsx template: headers on sheet 1, instructions and the uploader's unit codes after.

    The date and phone columns are formatted as text so Excel keeps "05/03/1985" and
    "0912345678" exactly as typed (it would otherwise turn them into a date serial and drop
    the leading zero).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Thí sinh")
    sheet.append([column.header for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, len(column.header) + 4)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        if column.key in {"date_of_birth", "phone", "unit_code", "team_code"}:
            for row in range(2, 502):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"

    help_sheet = workbook.create_sheet(_("Hướng dẫn"))
    for line in (
        _("Mỗi dòng ở trang “Thí sinh” là một người; dòng 1 là tiêu đề, không sửa."),
        _("Bắt buộc: Họ và tên (đủ họ, tên đệm, tên) và Mã đơn vị (xem trang “Đơn vị”)."),
        _("Ngày sinh ghi dd/mm/yyyy, ví dụ 05/03/1985. Giới tính: Nam, Nữ hoặc Khác."),
        _("Mã đội: để trống nếu không thuộc đội thi nào."),
        _("Đồng ý công khai: ghi “có” nếu người này đồng ý hiện tên trên bảng điểm công khai."),
        _("Có thể lưu thành CSV UTF-8 (dấu phẩy hoặc chấm phẩy) thay cho .xlsx."),
    ):
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 100

    unit_sheet = workbook.create_sheet(_("Đơn vị"))
    unit_sheet.append([_("Mã đơn vị"), _("Tên đơn vị")])
    unit_sheet.cell(row=1, column=1).font = Font(bold=True)
    unit_sheet.cell(row=1, column=2).font = Font(bold=True)
    for code, name in units:
        unit_sheet.append([code, name])
    unit_sheet.column_dimensions["A"].width = 16
    unit_sheet.column_dimensions["B"].width = 60

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
