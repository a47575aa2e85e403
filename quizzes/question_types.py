"""Question types: validate a definition, check a response, grade it. Pure: no ORM, no I/O.

CONTRACT (the rounds, scoreboard and judging code relies on it; keep it stable):

Definitions (``QuestionVersion.definition``) per type, options identified by stable ids:
- single / multiple: {"options": [{"id": "a", "html": "...", "fraction": 1.0, "feedback": ""}, ...]}
  (multiple: fractions may be negative, Moodle style; the total is clamped to 0..1)
- truefalse: {"correct": true, "feedback_true": "", "feedback_false": ""}
- short: {"answers": [{"text": "Hà Nội", "fraction": 1.0, "feedback": ""}], "case_sensitive": false,
          "accent_sensitive": true}   ("*" in an answer is a wildcard)
- numeric: {"answers": [{"value": 3.14, "tolerance": 0.01, "fraction": 1.0, "feedback": ""}],
            "prediction": false}   (a range min..max is stored as midpoint +- half width)
- ordering: {"items": [{"id": "1", "html": "..."}, ...]}   (the correct order is list order)
- matching: {"pairs": [{"id": "p1", "html": "prompt", "answer": "text"}], "distractors": ["text"]}
- essay: {"min_words": null, "max_words": null}
- file: {"accept": [".docx", ".xlsx", ".pptx", ".pdf"], "max_bytes": 10485760}
- description: {}

Responses (what a contestant's answer message carries, after ``normalise_response``):
- single: {"choice": "a"}            multiple: {"choices": ["a", "c"]}
- truefalse: {"value": true}         short: {"text": "..."}      numeric: {"value": "3,14"}
- ordering: {"order": ["2", "1", "3"]}
- matching: {"pairs": {"p1": "text", "p2": "text"}}
- essay: {"text": "..."}             file: {"upload_id": 123}

Functions:
- validate_definition(qtype, definition) -> list[str]  (translated errors; empty when valid)
- normalise_response(qtype, definition, raw) -> dict  (raises ResponseError on a malformed
  or impossible response, e.g. an option id that does not exist)
- grade(qtype, definition, response) -> Grade(fraction: float | None, feedback: str)
  (fraction None = pending, graded by a judge; description questions are never graded)
- public_definition(qtype, definition, option_order=None) -> dict  (what a contestant's
  browser may receive: no fractions, answers or feedback; options in ``option_order``)
- option_ids(qtype, definition) -> list[str]  (ids that a paper may shuffle; [] when none)
"""
