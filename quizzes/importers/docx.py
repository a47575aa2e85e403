"""Import multiple-choice questions from Word .docx files laid out the way Vietnamese
organisers write them. Pure: bytes in, :class:`ParseResult` out.

Recognised, in document order (paragraphs and tables):

- a question starts with "Câu 1:", "Câu 1.", "Câu hỏi 1:" (or a paragraph numbered by
  Word's automatic list numbering at the first level, where "Câu 1." is not in the text);
  the stem may span several paragraphs until the first option;
- options "A." … "H." (also "a)", "A)"), several on one line separated by spaces or tabs, or
  numbered by a letter list, or written in the cells of a table (2×2, 1×4, 4×1);
- the key: a line "Đáp án: B" (several letters make a multiple-choice question), or else the
  options that are bold, underlined or red while the others are not; a question without
  options whose "Đáp án:" is text becomes a short-answer question;
- images in runs (DrawingML blips or legacy VML) are kept as ``media:<key>`` references.

Locations are paragraph numbers (1-based, in reading order, table cells included), since
Word shows no line numbers; messages also name the question ("Câu 3").
"""

import html
import io
import re
import warnings
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from contest.vietnamese import fold, nfc

from .. import question_types
from .archive_guard import ArchiveRefused, check_archive
from .base import ParsedQuestion, ParseResult
from .docx_runs import Paragraph, Span, read_blocks

QUESTION_START = re.compile(r"^\s*cau(?:\s+hoi)?\s*(\d+)\s*[:.)\-]\s*", re.IGNORECASE)
OPTION_START = re.compile(r"(?:^|(?<=\s))([A-Ha-h])\s?[.)]\s+")
KEY_LINE = re.compile(r"^\s*(?:dap\s*an(?:\s+dung)?|da|answer|key)\s*[:：]\s*(.+?)\s*$", re.IGNORECASE)
EXPLANATION_LINE = re.compile(r"^\s*(?:giai\s*thich|loi\s*giai|huong\s*dan)\s*[:：]\s*", re.IGNORECASE)
NAME_LENGTH = 80
MARKS = ("red", "underline", "bold", "highlight")


@dataclass
class _Option:
    letter: str
    spans: list[Span]
    line: int
    prefix: list[Span] = field(default_factory=list)  # the typed "B." when there is one


@dataclass
class _Question:
    number: str
    line: int
    stem: list[list[Span]] = field(default_factory=list)  # one list per paragraph
    stem_tables: list[str] = field(default_factory=list)
    table_spans: list[Span] = field(default_factory=list)  # for the images in stem tables
    options: list[_Option] = field(default_factory=list)
    key_text: str = ""
    key_line: int | None = None
    explanation: list[list[Span]] = field(default_factory=list)


def parse_docx(data: bytes, filename: str = "") -> ParseResult:
    """Parse a .docx file (a legacy .doc is refused by ``parse_upload`` before this)."""
    import docx  # imported here: python-docx is only needed when a Word file is imported

    result = ParseResult(format="docx")
    try:
        check_archive(data, kind=".docx")
    except ArchiveRefused as exc:
        result.error(None, str(exc))
        return result
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            document = docx.Document(io.BytesIO(data))
        blocks = read_blocks(document)
    except Exception as exc:  # python-docx raises many kinds for a damaged file  # noqa: BLE001
        result.error(None, _("Không đọc được tệp Word (.docx): %(reason)s") % {"reason": exc})
        return result
    questions = _group(blocks, result)
    if not questions and not result.errors:
        result.error(
            None, _("Không tìm thấy câu hỏi nào. Mỗi câu cần bắt đầu bằng “Câu 1:” (xem hướng dẫn).")
        )
    for question in questions:
        _finish(question, result)
    return result


# --- Grouping paragraphs into questions -----------------------------------------------------


def _group(blocks, result: ParseResult) -> list[_Question]:
    questions: list[_Question] = []
    current: _Question | None = None
    in_explanation = False
    for block in blocks:
        if block.table is not None:
            if current is not None:
                _table(block.table, current)
            continue
        paragraph: Paragraph = block.paragraph
        text = paragraph.text
        if not text.strip() and not paragraph.has_image:
            continue
        # fold() keeps one character per character of NFC Vietnamese text, so offsets found
        # in the folded text are offsets in the original.
        folded = fold(text)
        start = QUESTION_START.match(folded)
        if start or (paragraph.numbering == "decimal" and paragraph.level == 0):
            current = _Question(
                number=start.group(1) if start else str(len(questions) + 1), line=paragraph.number
            )
            questions.append(current)
            in_explanation = False
            body = paragraph.spans_from(start.end()) if start else paragraph.spans
            if _plain(body):
                _stem_or_options(current, body, paragraph.number)
            continue
        if current is None:
            continue  # titles, instructions before the first question
        key = KEY_LINE.match(folded)
        if key:
            current.key_text = text[key.start(1) : key.end(1)].strip()
            current.key_line = paragraph.number
            in_explanation = False
            continue
        explanation = EXPLANATION_LINE.match(folded)
        if explanation or in_explanation:
            in_explanation = True
            current.explanation.append(paragraph.spans_from(explanation.end() if explanation else 0))
            continue
        if paragraph.numbering == "letter" or (paragraph.numbering == "decimal" and paragraph.level > 0):
            current.options.append(_Option(_letter_at(current, 0), paragraph.spans, paragraph.number))
            continue
        _stem_or_options(current, paragraph.spans, paragraph.number)
    return questions


def _stem_or_options(question: _Question, spans: list[Span], line: int) -> None:
    """A paragraph of one or more "A. …" options, else a stem (or option) continuation."""
    pieces = _split_options(spans, _letter_at(question, 0))
    if pieces:
        for letter, option_spans, prefix in pieces:
            question.options.append(_Option(letter, option_spans, line, prefix))
    elif question.options:
        question.options[-1].spans = [*question.options[-1].spans, Span("\n"), *spans]
    else:
        question.stem.append(spans)


def _split_options(spans: list[Span], expected: str) -> list[tuple[str, list[Span], list[Span]]]:
    """An option line: "A. Word   B. Excel" -> [("A", Word), ("B", Excel)]; else [].

    The first letter must be the question's next one (``expected``) and the others follow
    it (A, B, C…), so a stem line such as "C. là gì?" or "Vitamin A. Chọn" is not an option.
    """
    text = _plain(spans)
    matches = list(OPTION_START.finditer(text))
    if (
        not matches
        or matches[0].start() != len(text) - len(text.lstrip())
        or matches[0].group(1).upper() != expected
    ):
        return []
    accepted = [matches[0]]
    for match in matches[1:]:
        if ord(match.group(1).upper()) == ord(accepted[-1].group(1).upper()) + 1:
            accepted.append(match)
    pieces = []
    for index, match in enumerate(accepted):
        end = accepted[index + 1].start() if index + 1 < len(accepted) else len(text)
        pieces.append(
            (
                match.group(1).upper(),
                _slice(spans, match.end(), end),
                _slice(spans, match.start(), match.end()),
            )
        )
    return pieces


def _table(table, question: _Question) -> None:
    """Option cells (lettered, or letter-numbered) become options; any other table is part
    of the stem, kept as an HTML table."""
    cells = [cell for row in table for cell in row]
    option_cells = []
    for cell in cells:
        paragraphs = [p for p in cell if p.text.strip() or p.has_image]
        if not paragraphs:
            continue
        first = paragraphs[0]
        spans = [
            span
            for p in paragraphs
            for span in ([*p.spans, Span("\n")] if p is not paragraphs[-1] else p.spans)
        ]
        if first.numbering == "letter":
            option_cells.append((_letter_at(question, len(option_cells)), spans, first.number, []))
            continue
        pieces = _split_options(spans, _letter_at(question, len(option_cells)))
        if not pieces:
            option_cells = None
            break
        option_cells.extend((letter, piece, first.number, prefix) for letter, piece, prefix in pieces)
    if option_cells:
        question.options.extend(_Option(*cell) for cell in option_cells)
        return
    rows = "".join(
        "<tr>" + "".join(f"<td>{'<br>'.join(_html(p.spans) for p in cell)}</td>" for cell in row) + "</tr>"
        for row in table
    )
    question.stem_tables.append(f"<table><tbody>{rows}</tbody></table>")
    question.table_spans.extend(span for cell in cells for p in cell for span in p.spans if span.image)


def _letter_at(question: _Question, offset: int) -> str:
    return chr(ord("A") + len(question.options) + offset)


# --- Building the parsed question ----------------------------------------------------------


def _finish(question: _Question, result: ParseResult) -> None:
    index = len(result.questions)
    label = _("Câu %(n)s") % {"n": question.number}
    errors: list[tuple[int, str]] = []
    stem_html = "<br>".join(_html(spans) for spans in question.stem if _plain(spans) or _has_image(spans))
    stem_html += "".join(question.stem_tables)
    every_span = [
        *question.table_spans,
        *(span for spans in question.stem + question.explanation for span in spans),
        *(span for option in question.options for span in option.spans),
    ]
    media = dict(span.image for span in every_span if span.image)
    stem_text = " ".join(_plain(spans) for spans in question.stem).strip()
    if not stem_text and "<img" not in stem_html:
        errors.append((question.line, _("%(q)s: thiếu nội dung câu hỏi.") % {"q": label}))
    parsed = ParsedQuestion(
        qtype="single",
        name=_excerpt(stem_text) or label,
        stem_html=stem_html,
        definition={},
        line=question.line,
        general_feedback_html="<br>".join(_html(spans) for spans in question.explanation if _plain(spans)),
        media=media,
    )
    letters = [option.letter for option in question.options]
    if len(set(letters)) != len(letters):
        errors.append((question.line, _("%(q)s: có phương án bị lặp chữ cái.") % {"q": label}))
    if not question.options:
        if question.key_text and not re.fullmatch(r"[A-Ha-h](\s*[,;]\s*[A-Ha-h])*", question.key_text):
            parsed.qtype = "short"
            answers = [a.strip() for a in re.split(r"[|;]", question.key_text) if a.strip()]
            parsed.definition = {
                "answers": [{"text": a, "fraction": 1.0, "feedback": ""} for a in answers],
                "case_sensitive": False,
                "accent_sensitive": True,
            }
        else:
            errors.append((question.line, _("%(q)s: không có phương án trả lời (A., B., …).") % {"q": label}))
    else:
        correct = _key(question, label, errors)
        parsed.qtype = "multiple" if len(correct) > 1 else "single"
        share = round(1 / len(correct), 7) if correct else 0.0
        wrong = [o for o in question.options if o.letter not in correct]
        penalty = round(-1 / len(wrong), 7) if wrong and len(correct) > 1 else 0.0
        parsed.definition = {
            "options": [
                {
                    "id": option.letter.lower(),
                    # Bold/underline/colour are dropped from options: they may mark the key.
                    "html": _html(option.spans, keep=("italic", "sub", "sup")),
                    "fraction": share if option.letter in correct else penalty,
                    "feedback": "",
                }
                for option in question.options
            ]
        }
        for option in question.options:
            if not _plain(option.spans) and not _has_image(option.spans):
                errors.append(
                    (option.line, _("%(q)s: phương án %(l)s để trống.") % {"q": label, "l": option.letter})
                )
    if not errors:
        errors += [
            (question.line, f"{label}: {m}")
            for m in question_types.validate_definition(parsed.qtype, parsed.definition)
        ]
    result.questions.append(parsed)
    for line, message in errors:
        result.error(line, message, index)


def _key(question: _Question, label: str, errors: list) -> list[str]:
    letters = [option.letter for option in question.options]
    if question.key_text:
        wanted = [token.upper() for token in re.findall(r"[A-Za-z]+", question.key_text)]
        missing = [token for token in wanted if token not in letters]
        for token in missing:
            errors.append(
                (
                    question.key_line,
                    _("%(q)s: đáp án là %(k)s nhưng không có phương án %(k)s.") % {"q": label, "k": token},
                )
            )
        if not wanted:
            errors.append((question.key_line, _("%(q)s: dòng đáp án không ghi chữ cái nào.") % {"q": label}))
        return [token for token in dict.fromkeys(wanted) if token in letters]
    # The marked text first; failing that, a marked letter ("B." in bold or red).
    for part in ("spans", "prefix"):
        for mark in MARKS:
            marked = [option.letter for option in question.options if _fully(getattr(option, part), mark)]
            if marked and len(marked) < len(letters):
                return marked
    errors.append(
        (
            question.line,
            _(
                "%(q)s: không xác định được đáp án đúng. Thêm dòng “Đáp án: B” sau các phương án, "
                "hoặc in đậm, gạch chân hay tô đỏ phương án đúng."
            )
            % {"q": label},
        )
    )
    return []


# --- Spans -----------------------------------------------------------------------------------


def _plain(spans: list[Span]) -> str:
    return "".join(span.text for span in spans)


def _has_image(spans: list[Span]) -> bool:
    return any(span.image for span in spans)


def _fully(spans: list[Span], mark: str) -> bool:
    """Every visible character of the option has ``mark`` (the letter "B." may differ)."""
    visible = [span for span in spans if span.text.strip()]
    return bool(visible) and all(mark in span.marks for span in visible)


def _slice(spans: list[Span], start: int, end: int) -> list[Span]:
    out, position = [], 0
    for span in spans:
        span_end = position + len(span.text)
        if span.image and start <= position < end:
            out.append(span)
        elif span_end > start and position < end:
            out.append(Span(span.text[max(0, start - position) : end - position], span.marks))
        position = span_end
    while out and not out[-1].image and not out[-1].text.strip():
        out.pop()
    if out and not out[-1].image:
        out[-1] = Span(out[-1].text.rstrip(), out[-1].marks)
    return out


_TAGS = {"bold": "b", "italic": "i", "underline": "u", "sub": "sub", "sup": "sup"}


def _html(spans: list[Span], keep=tuple(_TAGS)) -> str:
    parts = []
    for span in spans:
        if span.image:
            parts.append(f'<img src="media:{span.image[0]}" alt="">')
            continue
        text = html.escape(nfc(span.text), quote=False).replace("\n", "<br>")
        for mark in keep:
            if mark in span.marks and text.strip():
                tag = _TAGS[mark]
                text = f"<{tag}>{text}</{tag}>"
        parts.append(text)
    return "".join(parts).strip()


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= NAME_LENGTH else flat[: NAME_LENGTH - 1].rstrip() + "…"
