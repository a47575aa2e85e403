"""Aiken importer, reading files as Moodle's ``qformat_aiken`` does.

One question per line, then its choices "A) …" or "A. …" (the space after the letter is
optional), then "ANSWER: B". Texts are HTML-escaped (Aiken is plain text) and stored as
HTML. Line numbers count every line, blank ones included.

Where Moodle loses data silently we report it: a key letter with no matching choice, and a
question still unfinished at the end of the file, are errors with their line numbers.
"""

import html
import re

from django.utils.translation import gettext as _

from .base import ParseResult
from .moodle import default_name, to_parsed
from .text import TextDecodeError, decode_text, too_many_questions

_CHOICE = re.compile(r"^[A-Z][).][ \t]?")


def parse_aiken(data: bytes, filename: str = "") -> ParseResult:
    result = ParseResult(format="aiken")
    try:
        text = decode_text(data)
    except TextDecodeError as exc:
        result.error(exc.line, exc.message)
        return result
    question: dict | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip()
        if len(line) < 2:
            continue
        if _CHOICE.match(line) or line.startswith("ANSWER:"):
            if question is None:
                result.error(
                    number,
                    _("Dòng này không thuộc câu hỏi nào (thiếu dòng nội dung câu hỏi phía trên)."),
                    code="answer_outside_question",
                )
                continue
            if line.startswith("ANSWER:"):
                _finish(question, line, number, result)
                question = None
            else:
                question["answers"].append(
                    {
                        "text": _escape(line[2:].strip()),
                        "format": "html",
                        "fraction": 0.0,
                        "feedback": "",
                        "feedback_format": "html",
                    }
                )
            continue
        if too_many_questions(result):
            return result
        if question is not None:
            result.error(
                number,
                _("Câu hỏi ở dòng %(line)d chưa có dòng ANSWER: trước khi sang câu mới.")
                % {"line": question["line"]},
                code="question_not_finished",
            )
        question = _start(line, number)
    if question is not None:
        result.error(
            question["line"], _("Câu hỏi chưa có dòng ANSWER: ở cuối tệp."), code="question_not_finished"
        )
    if not result.questions and not result.errors:
        result.error(None, _("Không tìm thấy câu hỏi nào trong tệp Aiken."))
    return result


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _start(line: str, number: int) -> dict:
    return {
        "qtype": "multichoice",
        "name": default_name(line),
        "questiontext": _escape(line),
        "questiontext_format": "html",
        "generalfeedback": "",
        "generalfeedback_format": "html",
        "defaultmark": 1,
        "single": True,
        "answers": [],
        "line": number,
    }


def _finish(question: dict, line: str, number: int, result: ParseResult) -> None:
    answers = question["answers"]
    if len(answers) < 2:
        result.error(number, _("Câu hỏi cần ít nhất hai phương án."), code="too_few_answers")
        return
    letter = line.partition(":")[2].strip()[:1]
    index = ord(letter) - ord("A") if letter else -1
    if not 0 <= index < len(answers):
        result.error(
            number,
            _("Đáp án “%(letter)s” không có phương án tương ứng (chỉ có A–%(last)s).")
            % {"letter": letter, "last": chr(ord("A") + len(answers) - 1)},
            code="answer_letter_without_option",
        )
        return
    answers[index]["fraction"] = 1.0
    start = question.pop("line")
    parsed, errors = to_parsed(question, line=start, category=[])
    if parsed is None:
        for message in errors:
            result.error(start, message)
        return
    result.questions.append(parsed)
