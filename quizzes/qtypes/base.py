"""The abstract strategy every question type implements, and the values they share.

Each type is a small class (see the sibling modules) registered by name in ``quizzes.qtypes``;
``quizzes.question_types`` is the stable facade the rounds and judging code call. Everything
here is pure: no ORM, no I/O, so grading is table-tested without a database.
"""

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Grade:
    """A grading outcome. ``fraction`` None means pending: a judge grades it."""

    fraction: float | None
    feedback: str = ""


class ResponseError(ValueError):
    """A malformed or impossible response (e.g. an option id that does not exist)."""


def clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def as_fraction(value) -> float | None:
    """A finite number in -1..1, or None when ``value`` is not one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    if not math.isfinite(value) or not -1.0 <= value <= 1.0:
        return None
    return value


def require_dict(raw) -> dict:
    if not isinstance(raw, dict):
        raise ResponseError(_("Câu trả lời không đúng định dạng."))
    return raw


def require_text(raw, key: str, max_length: int) -> str:
    value = require_dict(raw).get(key, "")
    if not isinstance(value, str):
        raise ResponseError(_("Câu trả lời không đúng định dạng."))
    if len(value) > max_length:
        raise ResponseError(_("Câu trả lời quá dài (tối đa %(n)d ký tự).") % {"n": max_length})
    return value


def ids_of(items) -> list[str]:
    return [str(item.get("id", "")) for item in items if isinstance(item, dict)]


def check_unique_ids(items, label: str) -> list[str]:
    """Errors for missing or repeated ids among ``items`` (options, items, pairs)."""
    ids = ids_of(items)
    errors = []
    if any(not i for i in ids) or len(ids) != len(items):
        errors.append(_("Mỗi %(what)s phải có mã (id).") % {"what": label})
    if len(set(ids)) != len(ids):
        errors.append(_("Mã %(what)s bị trùng.") % {"what": label})
    return errors


def ordered(items: list[dict], option_order) -> list[dict]:
    """``items`` in ``option_order`` (a list of ids); unknown ids are a programming error."""
    if option_order is None:
        return list(items)
    by_id = {str(item["id"]): item for item in items}
    if sorted(by_id) != sorted(str(i) for i in option_order):
        raise ValueError("option_order must be a permutation of the option ids")
    return [by_id[str(i)] for i in option_order]


class QuestionTypeStrategy(ABC):
    """One question type: its definition rules, response shape and grading."""

    name: str = ""
    #: Graded by a judge: ``grade`` returns a pending Grade.
    manual: bool = False
    #: Contestants answer it (False only for description blocks).
    answerable: bool = True

    @abstractmethod
    def validate(self, definition: dict) -> list[str]:
        """Translated errors; empty when the definition is valid."""

    @abstractmethod
    def normalise(self, definition: dict, raw) -> dict:
        """The canonical response, or ResponseError."""

    @abstractmethod
    def grade(self, definition: dict, response: dict) -> Grade:
        """Grade a normalised response."""

    @abstractmethod
    def public(self, definition: dict, option_order=None) -> dict:
        """What a contestant's browser may receive: no key, no fractions, no feedback."""

    def option_ids(self, definition: dict) -> list[str]:
        return []
