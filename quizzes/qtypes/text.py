"""Typed answers: short text (wildcards, case and accent options) and numbers."""

import math
import re

from django.utils.translation import gettext as _

from contest.vietnamese import fold, nfc

from .base import Grade, QuestionTypeStrategy, ResponseError, as_fraction, clamp, require_dict, require_text

MAX_SHORT_RESPONSE = 500


def _check_answers(answers, check_one) -> list[str]:
    if not isinstance(answers, list) or not answers:
        return [_("Cần ít nhất một đáp án.")]
    errors = []
    for number, answer in enumerate(answers, start=1):
        if not isinstance(answer, dict):
            return [_("Đáp án %(n)d không hợp lệ.") % {"n": number}]
        if as_fraction(answer.get("fraction", 1.0)) is None or answer.get("fraction", 1.0) < 0:
            errors.append(
                _("Đáp án %(n)d có tỉ lệ điểm không hợp lệ (phải từ 0%% đến 100%%).") % {"n": number}
            )
        errors += check_one(number, answer)
    if not errors and max(float(a.get("fraction", 1.0)) for a in answers) < 1.0:
        errors.append(_("Phải có một đáp án được 100%."))
    return errors


def _collapse(text: str) -> str:
    return " ".join(nfc(text).split())


def short_pattern(answer: str, *, case_sensitive: bool, accent_sensitive: bool) -> re.Pattern:
    """A regex for one accepted answer: ``*`` matches anything, ``\\*`` a literal star.

    Both sides go through the same folding (spaces collapsed; casefold and/or accent fold),
    so "Tin Hoc" matches "tin học" when both options are off.
    """
    text = _collapse(answer)
    if not accent_sensitive:
        text = fold(text) if not case_sensitive else _strip_accents_keep_case(text)
    elif not case_sensitive:
        text = text.casefold()
    parts = re.split(r"(\\\*|\*)", text)
    regex = "".join(".*" if p == "*" else re.escape("*" if p == "\\*" else p) for p in parts)
    return re.compile(regex, re.DOTALL)


def _strip_accents_keep_case(text: str) -> str:
    return "".join(f.upper() if ch.isupper() else f for ch, f in zip(text, fold(text), strict=True))


def _fold_response(text: str, *, case_sensitive: bool, accent_sensitive: bool) -> str:
    text = _collapse(text)
    if not accent_sensitive:
        return fold(text) if not case_sensitive else _strip_accents_keep_case(text)
    return text if case_sensitive else text.casefold()


class ShortAnswer(QuestionTypeStrategy):
    """The first accepted answer that matches wins (Moodle's order rule)."""

    name = "short"

    def validate(self, definition):
        def check_one(number, answer):
            if not str(answer.get("text", "")).strip():
                return [_("Đáp án %(n)d để trống.") % {"n": number}]
            return []

        return _check_answers(definition.get("answers"), check_one)

    def normalise(self, definition, raw):
        return {"text": nfc(require_text(raw, "text", MAX_SHORT_RESPONSE)).strip()}

    def grade(self, definition, response):
        options = {
            "case_sensitive": bool(definition.get("case_sensitive", False)),
            "accent_sensitive": bool(definition.get("accent_sensitive", True)),
        }
        given = _fold_response(response["text"], **options)
        if not given:
            return Grade(0.0, "")
        for answer in definition["answers"]:
            if short_pattern(answer["text"], **options).fullmatch(given):
                return Grade(clamp(float(answer.get("fraction", 1.0))), answer.get("feedback", ""))
        return Grade(0.0, "")

    def public(self, definition, option_order=None):
        return {}


def parse_number(text) -> float | None:
    """Read a number as Vietnamese and English writers type it.

    "3,14" and "3.14" are both 3.14. With both separators the last one is the decimal mark
    ("1.234,5" and "1,234.5" are 1234.5); spaces (thousands groups) are ignored. A lone
    separator repeated ("1.234.567") groups thousands. None when it is not a number.
    """
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        return float(text) if math.isfinite(text) else None
    if not isinstance(text, str) or len(text) > 64:
        return None
    s = "".join(nfc(text).split()).replace("\u2212", "-")
    if "," in s and "." in s:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif s.count(",") == 1:
        s = s.replace(",", ".")
    elif s.count(",") > 1 or s.count(".") > 1:
        s = s.replace(",", "").replace(".", "")
    if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", s):
        return None
    value = float(s)
    return value if math.isfinite(value) else None


class Numeric(QuestionTypeStrategy):
    """value ± tolerance; an answer whose value is None is Moodle's catch-all ``*``.

    A prediction question (``prediction``: true) breaks ties: it never adds points (grade
    0.0) and ranking uses :func:`prediction_distance` instead.
    """

    name = "numeric"

    def validate(self, definition):
        def check_one(number, answer):
            errors = []
            value, tolerance = answer.get("value"), answer.get("tolerance", 0)
            if value is not None and parse_number(value) is None:
                errors.append(_("Đáp án %(n)d không phải là số.") % {"n": number})
            if value is not None and (parse_number(tolerance) is None or parse_number(tolerance) < 0):
                errors.append(_("Sai số cho phép của đáp án %(n)d phải là số không âm.") % {"n": number})
            return errors

        errors = _check_answers(definition.get("answers"), check_one)
        if definition.get("prediction") and not errors and definition["answers"][0].get("value") is None:
            errors.append(_("Câu dự đoán cần một giá trị đúng."))
        return errors

    def normalise(self, definition, raw):
        value = require_dict(raw).get("value")
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)  # a client may send a JSON number; keep what was typed as text
        if not isinstance(value, str) or parse_number(value) is None:
            raise ResponseError(_("Hãy nhập một số (ví dụ 3,14)."))
        return {"value": value.strip()}

    def grade(self, definition, response):
        value = parse_number(response["value"])
        if definition.get("prediction") or value is None:
            return Grade(0.0, "")
        for answer in definition["answers"]:
            if answer.get("value") is None:
                return Grade(clamp(float(answer.get("fraction", 0.0))), answer.get("feedback", ""))
            target, tolerance = float(answer["value"]), float(answer.get("tolerance") or 0)
            # A relative epsilon absorbs binary rounding (3.1415 ± 0.0005 accepts 3.141).
            if abs(value - target) <= tolerance + 1e-9 * max(1.0, abs(target)):
                return Grade(clamp(float(answer.get("fraction", 1.0))), answer.get("feedback", ""))
        return Grade(0.0, "")

    def public(self, definition, option_order=None):
        return {"prediction": bool(definition.get("prediction", False))}


def prediction_distance(definition: dict, response: dict) -> float | None:
    """How far a prediction is from the true value (smaller ranks higher); None if unreadable."""
    value = parse_number(response.get("value"))
    target = definition.get("answers", [{}])[0].get("value")
    if value is None or target is None:
        return None
    return abs(value - float(target))
