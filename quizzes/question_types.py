"""Question types: validate a definition, check a response, grade it. Pure: no ORM, no I/O.

CONTRACT (the rounds, scoreboard and judging code relies on it; keep it stable):

Definitions (``QuestionVersion.definition``) per type, options identified by stable ids:
- single / multiple: {"options": [{"id": "a", "html": "...", "fraction": 1.0, "feedback": ""}, ...]}
  (multiple: fractions may be negative, Moodle style; the total is clamped to 0..1)
- truefalse: {"correct": true, "feedback_true": "", "feedback_false": ""}
- short: {"answers": [{"text": "Hà Nội", "fraction": 1.0, "feedback": ""}], "case_sensitive": false,
          "accent_sensitive": true}   ("*" in an answer is a wildcard, "\\*" a literal star;
          spaces are collapsed; the first matching answer wins, as in Moodle)
- numeric: {"answers": [{"value": 3.14, "tolerance": 0.01, "fraction": 1.0, "feedback": ""}],
            "prediction": false}   (a range min..max is stored as midpoint +- half width;
            "value": null is Moodle's catch-all "*", matching any other number; the first
            matching answer wins; responses accept "3,14" as well as "3.14")
- ordering: {"items": [{"id": "1", "html": "..."}, ...], "scoring": "adjacent"}   (the correct
            order is list order; "scoring" "adjacent" (default): fraction = neighbouring pairs
            in the right relative order / (n-1); "all_or_nothing": 1 only for the exact order)
- matching: {"pairs": [{"id": "p1", "html": "prompt", "answer": "text"}], "distractors": ["text"]}
            (fraction = prompts matched right / prompts; choices are handed out sorted)
- essay: {"min_words": null, "max_words": null}
- file: {"accept": [".docx", ".xlsx", ".pptx", ".pdf"], "max_bytes": 10485760}
- description: {}

Responses (what a contestant's answer message carries, after ``normalise_response``):
- single: {"choice": "a"}            multiple: {"choices": ["a", "c"]} (in definition order)
- truefalse: {"value": true}         short: {"text": "..."}      numeric: {"value": "3,14"}
- ordering: {"order": ["2", "1", "3"]}
- matching: {"pairs": {"p1": "text", "p2": "text"}}   (prompts left unanswered are omitted)
- essay: {"text": "..."}             file: {"upload_id": 123}

Functions:
- validate_definition(qtype, definition) -> list[str]  (translated errors; empty when valid)
- normalise_response(qtype, definition, raw) -> dict  (raises ResponseError on a malformed
  or impossible response, e.g. an option id that does not exist)
- grade(qtype, definition, response) -> Grade(fraction: float | None, feedback: str)
  (fraction None = pending, graded by a judge; description questions are never graded)
- public_definition(qtype, definition, option_order=None) -> dict  (what a contestant's
  browser may receive: no fractions, answers or feedback; options in ``option_order``):
  single/multiple {"options": [{"id", "html"}]}; ordering {"items": [{"id", "html"}]} (sorted
  by text when no order is given, never in key order); matching {"prompts": [{"id", "html"}],
  "choices": [sorted texts]}; numeric {"prediction": bool}; essay {"min_words", "max_words"};
  file {"accept", "max_bytes"}; truefalse, short, description {}
- option_ids(qtype, definition) -> list[str]  (ids that a paper may shuffle; [] when none)
- is_manual(qtype) -> bool  (essay, file: judges grade them)
- is_answerable(qtype) -> bool  (False for description)
- parse_number(text) -> float | None  ("3,14", "3.14", "1.234,5" read as people type them)
- prediction_distance(definition, response) -> float | None  (numeric prediction questions:
  |guess - true value|, for the tie-break; a prediction question's grade is always 0.0)

Texts in definitions ("html", "feedback") are sanitised HTML (``quizzes.html``); short answers
and matching answers are plain text. Per-type rules live in ``quizzes.qtypes`` (one small
strategy class per type); this module is the stable facade.
"""

from django.utils.translation import gettext

from .qtypes import REGISTRY, Grade, QuestionTypeStrategy, ResponseError
from .qtypes.text import parse_number, prediction_distance

__all__ = [
    "Grade",
    "ResponseError",
    "grade",
    "is_answerable",
    "is_manual",
    "normalise_response",
    "option_ids",
    "parse_number",
    "prediction_distance",
    "public_definition",
    "strategy",
    "validate_definition",
]


def strategy(qtype: str) -> QuestionTypeStrategy:
    try:
        return REGISTRY[qtype]
    except KeyError:
        raise ValueError(f"unknown question type {qtype!r}") from None


def validate_definition(qtype: str, definition) -> list[str]:
    if qtype not in REGISTRY:
        return [gettext("Loại câu hỏi không hợp lệ: %(t)s.") % {"t": qtype}]
    if not isinstance(definition, dict):
        return [gettext("Định nghĩa câu hỏi không hợp lệ.")]
    return REGISTRY[qtype].validate(definition)


def normalise_response(qtype: str, definition: dict, raw) -> dict:
    return strategy(qtype).normalise(definition, raw)


def grade(qtype: str, definition: dict, response: dict) -> Grade:
    return strategy(qtype).grade(definition, response)


def public_definition(qtype: str, definition: dict, option_order=None) -> dict:
    return strategy(qtype).public(definition, option_order)


def option_ids(qtype: str, definition: dict) -> list[str]:
    return strategy(qtype).option_ids(definition)


def is_manual(qtype: str) -> bool:
    return strategy(qtype).manual


def is_answerable(qtype: str) -> bool:
    return strategy(qtype).answerable
