"""Decoding uploaded text files, shared by every text importer (GIFT, Aiken, Moodle XML, CSV).

Accepted: UTF-8 with or without BOM, UTF-16 with BOM. Line endings CRLF, CR and LF all
become LF, and the text is normalised to NFC (Vietnamese typed on Windows often arrives
decomposed). Any other encoding (Windows-1258, Windows-1252, TCVN3 …) is refused with a
message telling the user how to save the file as UTF-8, because guessing would silently
turn Vietnamese letters into garbage.
"""

import codecs
import unicodedata

from django.utils.translation import gettext as _

#: Largest text file accepted (a 2,000-question GIFT bank is well under 1 MB).
MAX_TEXT_BYTES = 8 * 1024 * 1024
#: Most questions one file may hold; a larger bank is imported in several files.
MAX_QUESTIONS_PER_FILE = 10_000


class TextDecodeError(ValueError):
    """The file cannot be read as text; ``message`` is translated, ``line`` 1-based or None."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


def save_as_utf8_hint() -> str:
    return _(
        "Cách sửa: mở tệp bằng Notepad, chọn Tệp > Lưu thành (File > Save As), ở mục Mã hóa "
        "(Encoding) chọn UTF-8 rồi lưu và tải lên lại; hoặc dùng mẫu Excel (.xlsx)."
    )


def decode_text(data: bytes, *, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """``data`` as NFC text with LF line endings, or TextDecodeError."""
    if len(data) > max_bytes:
        raise TextDecodeError(
            _("Tệp quá lớn (%(size)s MB); tối đa %(max)s MB.")
            % {"size": round(len(data) / 1048576, 1), "max": round(max_bytes / 1048576, 1)}
        )
    if data.startswith(codecs.BOM_UTF8):
        text = _utf8(data[len(codecs.BOM_UTF8) :])
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise TextDecodeError(
                _("Tệp UTF-16 bị hỏng, không đọc được.") + " " + save_as_utf8_hint()
            ) from None
    else:
        text = _utf8(data)
    if "\x00" in text:
        raise TextDecodeError(_("Tệp chứa dữ liệu nhị phân, không phải văn bản.") + " " + save_as_utf8_hint())
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def too_many_questions(result) -> bool:
    """True (with a file-level error added) once ``result`` holds more questions than allowed."""
    if len(result.questions) <= MAX_QUESTIONS_PER_FILE:
        return False
    result.questions = result.questions[:MAX_QUESTIONS_PER_FILE]
    result.error(
        None,
        _("Tệp có quá nhiều câu hỏi (tối đa %(max)s câu mỗi tệp); hãy chia thành nhiều tệp.")
        % {"max": f"{MAX_QUESTIONS_PER_FILE:,}".replace(",", ".")},
    )
    return True


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise TextDecodeError(
            _(
                "Dòng %(line)d: tệp không dùng bảng mã UTF-8 (có thể là Windows-1258, Windows-1252 "
                "hoặc TCVN3), nên chữ tiếng Việt sẽ bị sai."
            )
            % {"line": line}
            + " "
            + save_as_utf8_hint(),
            line,
        ) from None
