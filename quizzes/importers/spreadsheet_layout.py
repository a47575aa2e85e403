"""The one-row-per-question spreadsheet layout, shared by the .xlsx/CSV importer, the .xlsx
exporter and the downloadable template, so that import(export(bank)) gives the bank back.

Headers are matched after folding (accents, case, spaces and a trailing ":" or "*" ignored),
so "Câu hỏi", "CAU HOI" and "Question" all name the stem column. Option columns are
"Phương án A" … "Phương án Z" (or just "A" … "Z", or "Option A"): as many as the file has.
"""

import html
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from contest.vietnamese import fold

from ..html import text_to_html


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Vietnamese header written to templates and exports
    width: int
    aliases: tuple[str, ...] = ()


OPTION_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
TEMPLATE_OPTION_COUNT = 6

# Template and export order. Option columns are inserted after the stem.
LEADING_COLUMNS = (
    Column(
        "type", "Loại câu hỏi", 18, ("loai", "loai cau", "kieu cau hoi", "type", "qtype", "question type")
    ),
    Column(
        "stem",
        "Câu hỏi",
        60,
        ("noi dung", "noi dung cau hoi", "de bai", "question", "questiontext", "question text", "stem"),
    ),
)
TRAILING_COLUMNS = (
    Column("key", "Đáp án đúng", 16, ("dap an", "dap an dung", "correct", "correct answer", "answer", "key")),
    Column("points", "Điểm", 8, ("diem so", "points", "mark", "defaultmark", "score")),
    Column("category", "Danh mục", 24, ("chu de", "mo dun", "module", "category")),
    Column("tags", "Nhãn", 18, ("the", "tags", "tag")),
    Column("difficulty", "Độ khó", 12, ("muc do", "difficulty", "level")),
    Column(
        "explanation",
        "Giải thích",
        40,
        ("loi giai", "giai thich dap an", "explanation", "feedback", "general feedback", "generalfeedback"),
    ),
    Column("tolerance", "Sai số", 10, ("sai so cho phep", "tolerance")),
    Column("case_sensitive", "Phân biệt hoa thường", 12, ("phan biet chu hoa", "case sensitive")),
    Column("accent_sensitive", "Phân biệt dấu", 12, ("accent sensitive",)),
    Column("name", "Tên ngắn", 24, ("ten cau hoi", "name", "short name")),
    Column("idnumber", "Mã câu hỏi", 14, ("ma", "ma so", "id", "question id", "question_id", "idnumber")),
    Column("format", "Định dạng", 12, ("kieu van ban", "format", "text format")),
)


def option_key(letter: str) -> str:
    return f"option:{letter}"


def option_header(letter: str) -> str:
    return f"Phương án {letter}"


def template_columns(option_count: int = TEMPLATE_OPTION_COUNT) -> list[Column]:
    options = [
        Column(option_key(letter), option_header(letter), 28) for letter in OPTION_LETTERS[:option_count]
    ]
    return [*LEADING_COLUMNS, *options, *TRAILING_COLUMNS]


def fold_key(text) -> str:
    """Accents, case and punctuation ignored: "Đúng/Sai" and "dung - sai" give "dung sai"."""
    return " ".join(re.sub(r"[^\w]+", " ", fold(str(text))).replace("_", " ").split())


_ALIASES = {
    fold_key(name): column.key
    for column in (*LEADING_COLUMNS, *TRAILING_COLUMNS)
    for name in (column.header, *column.aliases)
}
_OPTION_HEADER = re.compile(r"^(?:phuong an|option|lua chon|cau tra loi)?\s*([a-z])$")


def column_key(header) -> str | None:
    """The column key a header names, or None for a column we do not read."""
    if header is None:
        return None
    folded = fold_key(header)
    if folded in _ALIASES:
        return _ALIASES[folded]
    match = _OPTION_HEADER.match(folded)
    if match:
        return option_key(match.group(1).upper())
    return None


# --- Values ------------------------------------------------------------------------------

# Type names as written in the "Loại câu hỏi" column: Vietnamese first, then English and
# Moodle's names. The first name of each entry is the one exports write.
TYPE_NAMES = {
    "single": ("Một lựa chọn", "mot dap an", "trac nghiem", "chon mot", "single", "multichoice", "mc"),
    "multiple": ("Nhiều lựa chọn", "nhieu dap an", "chon nhieu", "multiple", "multi", "multiple choice"),
    "truefalse": ("Đúng/Sai", "dung sai", "true/false", "truefalse", "tf"),
    "short": ("Trả lời ngắn", "dien tu", "tra loi ngan gon", "short", "short answer", "shortanswer"),
    "numeric": ("Số", "dien so", "cau so", "numeric", "numerical", "number"),
    "prediction": ("Dự đoán", "cau du doan", "cau hoi du doan", "prediction"),
    "ordering": ("Sắp xếp thứ tự", "sap xep", "ordering"),
    "matching": ("Ghép cặp", "ghep noi", "matching", "match"),
    "essay": ("Tự luận", "essay"),
    "description": ("Đoạn mô tả", "mo ta", "description"),
}
TYPE_BY_NAME = {fold_key(name): qtype for qtype, names in TYPE_NAMES.items() for name in names}
SPREADSHEET_TYPES = tuple(TYPE_NAMES)

TRUE_WORDS = {"dung", "d", "true", "t", "co", "yes", "x", "1"}
FALSE_WORDS = {"sai", "s", "false", "f", "khong", "no", "0"}
FORMAT_HTML = "html"
FORMAT_TEXT = "văn bản"
MATCH_ARROW = "=>"
ANSWER_SEPARATOR = "|"


def parse_yes_no(value: str) -> bool | None:
    folded = fold_key(value)
    if folded in TRUE_WORDS:
        return True
    if folded in FALSE_WORDS:
        return False
    return None


def html_as_plain(markup: str) -> str | None:
    """The plain text that ``text_to_html`` turns into ``markup``, or None when the HTML
    carries formatting a plain cell cannot hold (exports then use the HTML format)."""
    text = html.unescape(markup.replace("<br>", "\n"))
    return text if text_to_html(text) == markup else None


EXAMPLE_ROW = {
    "type": "Một lựa chọn",
    "stem": "Trong Microsoft Excel, hàm nào dùng để tính tổng?",
    option_key("A"): "SUM",
    option_key("B"): "AVERAGE",
    option_key("C"): "COUNT",
    option_key("D"): "MAX",
    "key": "A",
    "points": "1",
    "category": "IU04 / Bảng tính",
    "tags": "Excel",
    "difficulty": "Dễ",
    "explanation": "Hàm SUM cộng các giá trị trong vùng.",
}

# The instructions sheet of the template: one line per column or type, (label, text).
INSTRUCTIONS = (
    (
        _("Loại câu hỏi"),
        _(
            "Một lựa chọn, Nhiều lựa chọn, Đúng/Sai, Trả lời ngắn, Số, Dự đoán, Sắp xếp thứ tự, Ghép cặp, Tự luận, Đoạn mô tả."
        ),
    ),
    (_("Câu hỏi"), _("Nội dung câu hỏi. Xuống dòng trong ô bằng Alt+Enter.")),
    (_("Phương án A, B, …"), _("Các phương án trả lời; thêm cột “Phương án G”… nếu cần nhiều hơn.")),
    (
        _("Đáp án đúng"),
        _(
            "Một lựa chọn: một chữ cái (B). Nhiều lựa chọn: các chữ cái cách nhau bởi dấu phẩy (A,C), hoặc kèm tỉ lệ điểm (A=50%,C=50%,B=-100%). Đúng/Sai: Đúng hoặc Sai. Trả lời ngắn: các đáp án được chấp nhận cách nhau bởi | (Hà Nội|Ha Noi). Số: một giá trị (3,14) hoặc một khoảng (10..20). Sắp xếp thứ tự: để trống, các phương án ghi theo thứ tự đúng. Ghép cặp: để trống, mỗi phương án ghi “vế trái => vế phải”. Tự luận, Đoạn mô tả: để trống."
        ),
    ),
    (_("Điểm"), _("Điểm mặc định của câu hỏi (mặc định 1).")),
    (_("Danh mục"), _("Đường dẫn danh mục, các cấp cách nhau bởi /, ví dụ IU04 / Bảng tính.")),
    (_("Nhãn"), _("Các nhãn cách nhau bởi dấu phẩy.")),
    (_("Độ khó"), _("Dễ, Trung bình hoặc Khó.")),
    (_("Sai số"), _("Câu hỏi số: sai số cho phép (mặc định 0).")),
    (
        _("Phân biệt hoa thường, Phân biệt dấu"),
        _("Trả lời ngắn: Có hoặc Không (mặc định: không phân biệt hoa thường, có phân biệt dấu)."),
    ),
    (_("Định dạng"), _("Để trống: văn bản thường. Ghi html nếu các ô chứa HTML (in đậm, bảng…).")),
)
