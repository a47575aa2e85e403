"""Grading and validation per question type: pure, table-driven, no database."""

import pytest

from quizzes import question_types as qt

SINGLE = {
    "options": [
        {"id": "a", "html": "Ctrl+C", "fraction": 1.0, "feedback": "Đúng"},
        {"id": "b", "html": "Ctrl+V", "fraction": 0.0, "feedback": "Dán"},
        {"id": "c", "html": "Ctrl+Z", "fraction": 0.5, "feedback": ""},
    ]
}
MULTIPLE = {
    "options": [
        {"id": "a", "html": "Chrome", "fraction": 0.5, "feedback": ""},
        {"id": "b", "html": "Firefox", "fraction": 0.5, "feedback": ""},
        {"id": "c", "html": "Excel", "fraction": -1.0, "feedback": "Không phải trình duyệt"},
        {"id": "d", "html": "Paint", "fraction": -0.25, "feedback": ""},
    ]
}
TRUEFALSE = {"correct": False, "feedback_true": "Sai rồi", "feedback_false": "Chính xác"}
SHORT = {
    "answers": [
        {"text": "Hà Nội", "fraction": 1.0, "feedback": "Đúng"},
        {"text": "Thủ đô *", "fraction": 0.5, "feedback": "Nửa điểm"},
        {"text": "a\\*b", "fraction": 1.0, "feedback": "sao"},
    ],
    "case_sensitive": False,
    "accent_sensitive": True,
}
SHORT_NO_ACCENT = {**SHORT, "accent_sensitive": False}
SHORT_CASE = {**SHORT, "case_sensitive": True}
NUMERIC = {
    "answers": [
        {"value": 3.14, "tolerance": 0.01, "fraction": 1.0, "feedback": "Tốt"},
        {"value": 3.0, "tolerance": 0.0, "fraction": 0.5, "feedback": "Gần"},
        {"value": None, "tolerance": None, "fraction": 0.0, "feedback": "Sai"},
    ],
    "prediction": False,
}
RANGE = {"answers": [{"value": 1.5, "tolerance": 0.5, "fraction": 1.0, "feedback": ""}], "prediction": False}
PREDICTION = {
    "answers": [{"value": 127.0, "tolerance": 0.0, "fraction": 1.0, "feedback": ""}],
    "prediction": True,
}
ORDERING = {
    "items": [
        {"id": "1", "html": "Mở"},
        {"id": "2", "html": "Sửa"},
        {"id": "3", "html": "Lưu"},
        {"id": "4", "html": "Đóng"},
    ]
}
ORDERING_STRICT = {**ORDERING, "scoring": "all_or_nothing"}
MATCHING = {
    "pairs": [
        {"id": "p1", "html": "Ctrl+S", "answer": "Lưu"},
        {"id": "p2", "html": "Ctrl+P", "answer": "In"},
        {"id": "p3", "html": "Ctrl+O", "answer": "Mở"},
    ],
    "distractors": ["Xoá"],
}

GRADES = [
    # (type, definition, raw response, fraction, feedback or None to ignore)
    ("single", SINGLE, {"choice": "a"}, 1.0, "Đúng"),
    ("single", SINGLE, {"choice": "b"}, 0.0, "Dán"),
    ("single", SINGLE, {"choice": "c"}, 0.5, ""),
    ("multiple", MULTIPLE, {"choices": ["a", "b"]}, 1.0, ""),
    ("multiple", MULTIPLE, {"choices": ["a"]}, 0.5, None),
    ("multiple", MULTIPLE, {"choices": ["a", "b", "d"]}, 0.75, None),
    ("multiple", MULTIPLE, {"choices": ["a", "c"]}, 0.0, "Không phải trình duyệt"),  # clamped at 0
    ("multiple", MULTIPLE, {"choices": ["a", "b", "c", "d"]}, 0.0, None),
    ("multiple", MULTIPLE, {"choices": []}, 0.0, ""),
    ("multiple", MULTIPLE, {"choices": ["b", "a", "a"]}, 1.0, None),  # repeats count once
    ("truefalse", TRUEFALSE, {"value": False}, 1.0, "Chính xác"),
    ("truefalse", TRUEFALSE, {"value": True}, 0.0, "Sai rồi"),
    ("short", SHORT, {"text": "Hà Nội"}, 1.0, "Đúng"),
    ("short", SHORT, {"text": "  hà   NỘI "}, 1.0, None),  # case and spaces ignored
    ("short", SHORT, {"text": "Ha Noi"}, 0.0, ""),  # accents matter by default
    ("short", SHORT_NO_ACCENT, {"text": "ha noi"}, 1.0, None),
    ("short", SHORT_NO_ACCENT, {"text": "HA NOI"}, 1.0, None),
    ("short", SHORT_CASE, {"text": "hà nội"}, 0.0, None),
    ("short", SHORT, {"text": "thủ đô Việt Nam"}, 0.5, "Nửa điểm"),  # wildcard
    ("short", SHORT, {"text": "a*b"}, 1.0, "sao"),  # escaped star is literal
    ("short", SHORT, {"text": "axb"}, 0.0, None),
    ("short", SHORT, {"text": ""}, 0.0, ""),
    ("numeric", NUMERIC, {"value": "3.14"}, 1.0, "Tốt"),
    ("numeric", NUMERIC, {"value": "3,15"}, 1.0, None),  # decimal comma, inside tolerance
    ("numeric", NUMERIC, {"value": "3.13"}, 1.0, None),
    ("numeric", NUMERIC, {"value": "3"}, 0.5, "Gần"),
    ("numeric", NUMERIC, {"value": "42"}, 0.0, "Sai"),  # catch-all
    ("numeric", NUMERIC, {"value": 3.14}, 1.0, None),  # a JSON number
    ("numeric", RANGE, {"value": "1"}, 1.0, None),
    ("numeric", RANGE, {"value": "2"}, 1.0, None),
    ("numeric", RANGE, {"value": "2,01"}, 0.0, None),
    ("numeric", PREDICTION, {"value": "127"}, 0.0, None),  # prediction never adds points
    ("ordering", ORDERING, {"order": ["1", "2", "3", "4"]}, 1.0, None),
    ("ordering", ORDERING, {"order": ["4", "3", "2", "1"]}, 0.0, None),
    ("ordering", ORDERING, {"order": ["2", "3", "4", "1"]}, 2 / 3, None),
    ("ordering", ORDERING, {"order": ["1", "2", "4", "3"]}, 1 / 3, None),
    ("ordering", ORDERING_STRICT, {"order": ["1", "2", "4", "3"]}, 0.0, None),
    ("ordering", ORDERING_STRICT, {"order": ["1", "2", "3", "4"]}, 1.0, None),
    ("matching", MATCHING, {"pairs": {"p1": "Lưu", "p2": "In", "p3": "Mở"}}, 1.0, None),
    ("matching", MATCHING, {"pairs": {"p1": "Lưu", "p2": "Xoá"}}, 1 / 3, None),
    ("matching", MATCHING, {"pairs": {}}, 0.0, None),
    ("essay", {"min_words": None, "max_words": 200}, {"text": "Bài viết"}, None, None),
    ("file", {"accept": [".docx"], "max_bytes": 1000}, {"upload_id": 7}, None, None),
]


@pytest.mark.parametrize(("qtype", "definition", "raw", "fraction", "feedback"), GRADES)
def test_grade(qtype, definition, raw, fraction, feedback):
    assert qt.validate_definition(qtype, definition) == []
    grade = qt.grade(qtype, definition, qt.normalise_response(qtype, definition, raw))
    if fraction is None:
        assert grade.fraction is None
    else:
        assert grade.fraction == pytest.approx(fraction)
    if feedback is not None:
        assert grade.feedback == feedback


BAD_RESPONSES = [
    ("single", SINGLE, {"choice": "z"}),
    ("single", SINGLE, {}),
    ("single", SINGLE, "a"),
    ("multiple", MULTIPLE, {"choices": ["a", "z"]}),
    ("multiple", MULTIPLE, {"choices": "a"}),
    ("truefalse", TRUEFALSE, {"value": "true"}),
    ("short", SHORT, {"text": 5}),
    ("short", SHORT, {"text": "x" * 501}),
    ("numeric", NUMERIC, {"value": "ba"}),
    ("numeric", NUMERIC, {"value": True}),
    ("numeric", NUMERIC, {"value": "1e999"}),
    ("ordering", ORDERING, {"order": ["1", "2", "3"]}),
    ("ordering", ORDERING, {"order": ["1", "1", "2", "3"]}),
    ("matching", MATCHING, {"pairs": {"p9": "Lưu"}}),
    ("matching", MATCHING, {"pairs": {"p1": "Không có"}}),
    ("file", {}, {"upload_id": "7"}),
    ("description", {}, {}),
]


@pytest.mark.parametrize(("qtype", "definition", "raw"), BAD_RESPONSES)
def test_it_rejects_a_malformed_or_impossible_response(qtype, definition, raw):
    with pytest.raises(qt.ResponseError):
        qt.normalise_response(qtype, definition, raw)


INVALID_DEFINITIONS = [
    ("single", {"options": [{"id": "a", "html": "A", "fraction": 1.0}]}),  # one option
    (
        "single",
        {"options": [{"id": "a", "html": "A", "fraction": 0.5}, {"id": "b", "html": "B", "fraction": 0}]},
    ),
    (
        "single",
        {"options": [{"id": "a", "html": "A", "fraction": 1.0}, {"id": "a", "html": "B", "fraction": 0}]},
    ),
    (
        "single",
        {"options": [{"id": "a", "html": "", "fraction": 1.0}, {"id": "b", "html": "B", "fraction": 0}]},
    ),
    (
        "single",
        {"options": [{"id": "a", "html": "A", "fraction": 2}, {"id": "b", "html": "B", "fraction": 0}]},
    ),
    (
        "multiple",
        {"options": [{"id": "a", "html": "A", "fraction": 0.5}, {"id": "b", "html": "B", "fraction": 0.2}]},
    ),
    ("truefalse", {}),
    ("short", {"answers": []}),
    ("short", {"answers": [{"text": " ", "fraction": 1.0}]}),
    ("short", {"answers": [{"text": "a", "fraction": 0.5}]}),
    ("numeric", {"answers": [{"value": "ba", "tolerance": 0, "fraction": 1.0}]}),
    ("numeric", {"answers": [{"value": 1, "tolerance": -1, "fraction": 1.0}]}),
    ("numeric", {"answers": [{"value": None, "tolerance": None, "fraction": 1.0}], "prediction": True}),
    ("ordering", {"items": [{"id": "1", "html": "A"}]}),
    ("ordering", {**ORDERING, "scoring": "lạ"}),
    ("matching", {"pairs": [{"id": "p1", "html": "A", "answer": "a"}]}),
    (
        "matching",
        {"pairs": [{"id": "p1", "html": "A", "answer": ""}, {"id": "p2", "html": "B", "answer": "b"}]},
    ),
    ("essay", {"min_words": 10, "max_words": 5}),
    ("file", {"accept": ["docx"], "max_bytes": 10}),
    ("lạ", {}),
    ("single", []),
]


@pytest.mark.parametrize(("qtype", "definition"), INVALID_DEFINITIONS)
def test_it_reports_an_invalid_definition(qtype, definition):
    errors = qt.validate_definition(qtype, definition)
    assert errors and all(isinstance(e, str) and e for e in errors)


@pytest.mark.parametrize(
    ("qtype", "definition", "forbidden"),
    [
        ("single", SINGLE, ["fraction", "feedback"]),
        ("multiple", MULTIPLE, ["fraction", "feedback"]),
        ("truefalse", TRUEFALSE, ["correct", "feedback"]),
        ("short", SHORT, ["answers", "Hà Nội"]),
        ("numeric", NUMERIC, ["answers", "3.14"]),
        ("matching", MATCHING, ["answer", "pairs"]),
        ("ordering", ORDERING, ["scoring"]),
    ],
)
def test_public_definitions_never_carry_the_key(qtype, definition, forbidden):
    public = repr(qt.public_definition(qtype, definition))
    assert not any(word in public for word in forbidden)


def test_options_come_in_the_paper_order_and_ordering_items_never_in_key_order():
    assert [o["id"] for o in qt.public_definition("single", SINGLE, ["c", "a", "b"])["options"]] == [
        "c",
        "a",
        "b",
    ]
    assert [i["id"] for i in qt.public_definition("ordering", ORDERING)["items"]] != ["1", "2", "3", "4"]
    assert qt.option_ids("matching", MATCHING) == ["p1", "p2", "p3"]
    assert qt.option_ids("essay", {}) == []
    assert qt.public_definition("matching", MATCHING)["choices"] == ["In", "Lưu", "Mở", "Xoá"]


def test_manual_and_unanswerable_types():
    assert qt.is_manual("essay") and qt.is_manual("file") and not qt.is_manual("single")
    assert not qt.is_answerable("description") and qt.is_answerable("numeric")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3,14", 3.14),
        ("3.14", 3.14),
        ("-2", -2.0),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("1.234.567", 1234567.0),
        ("1 000", 1000.0),
        ("1e3", 1000.0),
        ("\u22125", -5.0),
        ("", None),
        ("abc", None),
        ("1,2,3.4.5", None),
    ],
)
def test_numbers_are_read_as_vietnamese_and_english_writers_type_them(text, value):
    assert qt.parse_number(text) == (pytest.approx(value) if value is not None else None)


def test_prediction_distance_ranks_closer_guesses_higher():
    assert qt.prediction_distance(PREDICTION, {"value": "120"}) == 7
    assert qt.prediction_distance(PREDICTION, {"value": "130,5"}) == pytest.approx(3.5)
    assert qt.prediction_distance(PREDICTION, {"value": "?"}) is None
