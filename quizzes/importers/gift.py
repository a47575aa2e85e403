"""GIFT importer, reading files as Moodle's ``qformat_gift`` does.

Moodle's rules, kept on purpose (the conformance corpus pins them down): a file is split
into blocks at blank lines and every line is trimmed; ``//`` lines are comments, whose
``[id:…]`` and ``[tag:…]`` set the idnumber and tags; ``::name::`` names a question, else the
name is the text shortened to about 80 characters; text after the closing ``}`` makes a
"missing word" question (``_____`` replaces the answers); no braces is a description, ``{}``
an essay; ``\\~ \\= \\# \\{ \\} \\: \\\\ \\n`` are escapes.

Where Moodle silently loses data we report instead: a ``$CATEGORY:`` line glued to the next
question (Moodle reads the question into the category's name) becomes the category plus
the question, with a warning; a numerical answer that is not a number is an error (Moodle
turns it into the catch-all ``*``). Every problem carries the block's first line number.
"""

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from ..qtypes.text import parse_number
from .base import ParseResult
from .moodle import FORMATS, category_path, clean_name, default_name, to_parsed
from .text import TextDecodeError, decode_text, too_many_questions

# Escapes become private-use characters while parsing, then the literal character.
_ESCAPES = {
    ":": "\ue000",
    "#": "\ue001",
    "=": "\ue002",
    "{": "\ue003",
    "}": "\ue004",
    "~": "\ue005",
    "n": "\ue006",
}
_UNESCAPE = {v: ("\n" if k == "n" else k) for k, v in _ESCAPES.items()}
_BACKSLASH = "\ue007"
_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")
_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_OPTIONS = re.compile(r"\[hoithi:([^\]\n]*)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f])+)\]")


def parse_gift(data: bytes, filename: str = "") -> ParseResult:
    result = ParseResult(format="gift")
    try:
        text = decode_text(data)
    except TextDecodeError as exc:
        result.error(exc.line, exc.message)
        return result
    parse_gift_text(text, result)
    if not result.questions and not result.categories and not result.errors:
        result.error(None, _("Không tìm thấy câu hỏi nào trong tệp GIFT."))
    return result


def parse_gift_text(text: str, result: ParseResult) -> None:
    category: list[str] = []
    for first_line, lines in _blocks(text):
        for line, part, glued in _split_glued(first_line, lines):
            if glued and not part[0].startswith("$CATEGORY:"):
                result.warn(
                    line,
                    _("Thiếu dòng trống trước dòng này; câu hỏi từ dòng này đã được đọc riêng."),
                    code="missing_blank_line",
                )
            category = _read_block(part, line, category, result, glued=glued)
            if too_many_questions(result):
                return


def _split_glued(start: int, lines: list[str]):
    """Split a block where a blank line was forgotten: before a ``$CATEGORY:`` line that is not
    the first, and before a ``::name::`` line that follows a line ending a question with ``}``.
    Moodle would merge them into one broken question; the question after is not lost here."""
    begin, opened = 0, "{" in lines[0]
    for index in range(1, len(lines)):
        line, previous = lines[index], lines[index - 1]
        category_line = line.startswith("$CATEGORY:")
        named_after_close = line.startswith("::") and previous.endswith("}") and not previous.endswith("\\}")
        if category_line or (named_after_close and opened):
            yield start + begin, lines[begin:index], begin > 0
            begin, opened = index, False
        opened = opened or "{" in line
    yield start + begin, lines[begin:], begin > 0


def _blocks(text: str):
    """(first line number, trimmed lines) of each blank-line separated block."""
    block, start = [], 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if line:
            if not block:
                start = number
            block.append(line)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def _read_block(
    lines: list[str], line: int, category: list[str], result: ParseResult, glued=False
) -> list[str]:
    """Parse one block into ``result``; returns the category in force afterwards.

    ``glued``: the block was split off the end of the previous one (no blank line before it).
    """
    comments = "\n".join(x for x in lines if x.startswith("//"))
    body = [" " if x.startswith("//") else x for x in lines]
    text = "\n".join(body).strip()
    if not text:
        return category
    text = _escape(text)
    if text.startswith("$CATEGORY:"):
        first, _sep, rest = text.partition("\n")
        raw = _unescape(first[len("$CATEGORY:") :].strip())
        category = category_path(raw)
        result.categories.append(
            {
                "before": len(result.questions),
                "path": category,
                "line": line,
                "source": {"qtype": "category", "category": raw},
            }
        )
        if glued or rest.strip():
            # Moodle would read the neighbouring question into the category name and lose it.
            result.warn(
                line,
                _(
                    "Dòng $CATEGORY: phải cách câu hỏi trước và sau nó một dòng trống; "
                    "câu hỏi liền kề đã được đọc riêng (Moodle sẽ làm mất câu hỏi này)."
                ),
                code="missing_blank_line",
            )
        if rest.strip():
            offset = next(i for i, x in enumerate(body) if x.startswith("$CATEGORY:")) + 1
            _read_question(rest.strip(), comments, line + offset, category, result)
        return category
    _read_question(text, comments, line, category, result)
    return category


def _escape(text: str) -> str:
    text = text.replace("\\\\", _BACKSLASH)
    for char, placeholder in _ESCAPES.items():
        text = text.replace("\\" + char, placeholder)
    return text.replace(_BACKSLASH, "\\")


def _unescape(text: str) -> str:
    for placeholder, char in _UNESCAPE.items():
        text = text.replace(placeholder, char)
    return text


def _with_format(text: str, default: str) -> tuple[str, str]:
    fmt = default
    if text.startswith("["):
        end = text.find("]")
        if end > 0 and text[1:end] in FORMATS - {"wiki"}:
            fmt, text = text[1:end], text[end + 1 :]
    return _unescape(text).strip(), fmt


def comment_metadata(comments: str) -> tuple[str, list[str]]:
    """(idnumber, tags) from ``[id:…]`` and ``[tag:…]`` in a question's comment lines."""
    found = _ID.search(comments)
    idnumber = found.group(1).strip().replace("\\]", "]") if found else ""
    tags = [raw.strip().replace("\\]", "]") for raw in _TAG.findall(comments)]
    return idnumber, tags


def _read_question(text: str, comments: str, line: int, category, result: ParseResult) -> None:
    mq, error = _moodle_question(text)
    if error:
        result.error(line, error)
        return
    mq["idnumber"], mq["tags"] = comment_metadata(comments)
    if not mq["idnumber"]:
        del mq["idnumber"]
    parsed, errors = to_parsed(mq, line=line, category=category)
    if parsed is None:
        for message in errors:
            result.error(line, message)
        return
    _apply_options(parsed, comments)
    result.questions.append(parsed)


def _apply_options(parsed, comments: str) -> None:
    """Our own options from a ``// [hoithi:points=2;accent_sensitive=0]`` comment, written by
    our exporter for what GIFT cannot say; Moodle ignores the comment."""
    found = _OPTIONS.search(comments)
    if not found:
        return
    options = dict(part.split("=", 1) for part in found.group(1).split(";") if "=" in part)
    definition = parsed.definition
    if "points" in options and parse_number(options["points"]) is not None:
        parsed.default_points = Decimal(str(parse_number(options["points"])))
    if parsed.qtype == "short":
        definition["case_sensitive"] = options.get("case_sensitive", "0") == "1"
        definition["accent_sensitive"] = options.get("accent_sensitive", "1") == "1"
    if parsed.qtype == "numeric":
        definition["prediction"] = options.get("prediction", "0") == "1"
    if parsed.qtype == "essay":
        for key in ("min_words", "max_words"):
            if options.get(key, "").isdigit():
                definition[key] = int(options[key])


def _moodle_question(text: str) -> tuple[dict | None, str | None]:
    """The question as Moodle's GIFT reader builds it, or an error message."""
    name = None
    if text.startswith("::"):
        text = text[2:]
        end = text.find("::")
        if end >= 0:
            name = clean_name(_unescape(text[:end]))
            text = text[end + 2 :].strip()
    start, finish = text.find("{"), text.find("}")
    description = start < 0 and finish < 0
    if description:
        answers, questiontext = "", text
    elif start < 0 or finish < 0 or finish < start:
        return None, _("Thiếu dấu ngoặc { hoặc } bao quanh các đáp án (ngoặc không cân đối).")
    else:
        answers = text[start + 1 : finish].strip()
        blank = "" if text.endswith("}") else "_____"
        questiontext = text[:start] + blank + text[finish + 1 :]
    general, general_at = "", answers.rfind("####")
    if general_at >= 0:
        general, answers = answers[general_at + 4 :], answers[:general_at].strip()
    qtext, qformat = _with_format(questiontext.strip(), "moodle")
    gtext, gformat = _with_format(general.strip(), qformat)
    mq = {
        "name": name if name else default_name(qtext),
        "questiontext": qtext,
        "questiontext_format": qformat,
        "generalfeedback": gtext,
        "generalfeedback_format": gformat,
        "defaultmark": 1,
    }
    if description:
        return {**mq, "qtype": "description", "defaultmark": 0}, None
    if not answers:
        return {**mq, "qtype": "essay"}, None
    if answers[0] == "#":
        return _numerical(mq, answers[1:], qformat)
    if "~" in answers:
        return _multichoice(mq, answers, qformat)
    if "=" in answers and "->" in answers:
        return _match(mq, answers, qformat)
    check = answers.split("#", 1)[0].strip() if answers.find("#") > 0 else answers
    if check in {"T", "TRUE", "F", "FALSE"}:
        return _truefalse(mq, answers, qformat)
    return _shortanswer(mq, answers, qformat)


def _split(answers: str, separator: str) -> list[str]:
    parts = answers.split(separator)
    if not parts[0].strip():
        parts = parts[1:]
    return parts


def _weight(answer: str, default: float) -> tuple[float, str]:
    if _WEIGHT.match(answer):
        end = answer.index("%", 1)
        return float(answer[1:end]) / 100, answer[end + 1 :]
    return default, answer


def _comment(answer: str, fmt: str) -> tuple[tuple[str, str], tuple[str, str]]:
    text, _sep, feedback = answer.partition("#")
    return _with_format(text.strip(), fmt), (_with_format(feedback.strip(), fmt) if _sep else ("", fmt))


def _multichoice(mq, answers, fmt):
    mq.update(qtype="multichoice", single="=" in answers, answers=[])
    parts = _split(answers.replace("=", "~="), "~")
    if len(parts) < 2:
        return None, _("Câu nhiều lựa chọn cần ít nhất hai phương án.")
    for raw in parts:
        raw = raw.strip()
        if raw.startswith("="):
            fraction, raw = 1.0, raw[1:]
        else:
            fraction, raw = _weight(raw, 0.0)
        (text, tfmt), (feedback, ffmt) = _comment(raw, fmt)
        mq["answers"].append(
            {
                "text": text,
                "format": tfmt,
                "fraction": fraction,
                "feedback": feedback,
                "feedback_format": ffmt,
            }
        )
    return mq, None


def _match(mq, answers, fmt):
    mq.update(qtype="match", subquestions=[])
    parts = _split(answers, "=")
    if len(parts) < 2:
        return None, _("Câu ghép cặp cần ít nhất hai cặp.")
    for raw in parts:
        if "->" not in raw:
            return None, _("Mỗi cặp ghép phải có dạng “=vế trái -> vế phải”.")
        left, _arrow, right = raw.strip().partition("->")
        text, tfmt = _with_format(left.strip(), fmt)
        mq["subquestions"].append({"text": text, "format": tfmt, "answer": _unescape(right).strip()})
    return mq, None


def _truefalse(mq, answers, fmt):
    bits = answers.split("#", 2) + ["", ""]
    answer = _with_format(bits[0].strip(), fmt)[0]
    wrong, right = _with_format(bits[1].strip(), fmt), _with_format(bits[2].strip(), fmt)
    correct = answer in {"T", "TRUE"}
    feedback_true, feedback_false = (right, wrong) if correct else (wrong, right)
    mq.update(
        qtype="truefalse",
        correct_answer=correct,
        feedback_true={"text": feedback_true[0], "format": feedback_true[1]},
        feedback_false={"text": feedback_false[0], "format": feedback_false[1]},
    )
    return mq, None


def _shortanswer(mq, answers, fmt):
    mq.update(qtype="shortanswer", usecase=False, answers=[])
    parts = _split(answers, "=")
    if not parts:
        return None, _("Câu trả lời ngắn cần ít nhất một đáp án.")
    for raw in parts:
        fraction, raw = _weight(raw.strip(), 1.0)
        (text, _f), (feedback, ffmt) = _comment(raw, fmt)
        mq["answers"].append(
            {"text": text, "fraction": fraction, "feedback": feedback, "feedback_format": ffmt}
        )
    return mq, None


def _numerical(mq, answers, fmt):
    mq.update(qtype="numerical", answers=[])
    wrong = ""
    if "~" in answers:
        at = answers.index("~")
        answers, wrong = answers[:at], answers[at:]
    parts = _split(answers, "=")
    if not parts:
        return None, _("Câu trả lời số chưa có đáp án.")
    for raw in parts:
        fraction, raw = _weight(raw.strip(), 1.0)
        (text, _f), (feedback, ffmt) = _comment(raw, fmt)
        if text.find("..") > 0:
            low, high = (x.strip() for x in text.split("..", 1))
            value, tolerance = _range(low, high)
            if value is None:
                return None, _("Khoảng giá trị “%(text)s” không hợp lệ.") % {"text": text}
        elif text.find(":") > 0:
            value, tolerance = (x.strip() for x in text.split(":", 1))
        else:
            value, tolerance = text.strip(), "0"
        if parse_number(tolerance) is None:
            return None, _("Sai số “%(text)s” không phải là số.") % {"text": tolerance}
        mq["answers"].append(
            {
                "text": value,
                "fraction": fraction,
                "tolerance": parse_number(tolerance),
                "feedback": feedback,
                "feedback_format": ffmt,
            }
        )
    if wrong:
        feedback, ffmt = _comment(wrong, fmt)[1]
        mq["answers"].append(
            {"text": "*", "fraction": 0.0, "tolerance": None, "feedback": feedback, "feedback_format": ffmt}
        )
    return mq, None


def _range(low: str, high: str) -> tuple[str | None, float | None]:
    low_value, high_value = parse_number(low), parse_number(high)
    if low_value is None or high_value is None:
        return None, None
    middle = (low_value + high_value) / 2
    return _php_float(middle), high_value - middle


def _php_float(value: float) -> str:
    """A float as PHP prints it (14 significant digits), as Moodle stores a range's middle."""
    return f"{value:.14g}"
