from decimal import Decimal

import pytest

from contest.exporters.answers import QuestionReader, is_correct, letter

CHOICES = {"options": [{"id": "x", "fraction": 0}, {"id": "y", "fraction": 1}, {"id": "z", "fraction": 0}]}
SHARES = {
    "options": [{"id": "x", "fraction": 0.5}, {"id": "y", "fraction": 0.5}, {"id": "z", "fraction": -1}]
}
ORDER = {"items": [{"id": "1"}, {"id": "2"}, {"id": "3"}]}
PAIRS = {"pairs": [{"id": "p1", "answer": "Word"}, {"id": "p2", "answer": "Excel"}]}


@pytest.mark.parametrize(
    ("qtype", "definition", "response", "text"),
    [
        ("single", CHOICES, {"choice": "y"}, "B"),
        ("multiple", SHARES, {"choices": ["y", "x"]}, "A, B"),
        ("truefalse", {}, {"value": False}, "Sai"),
        ("short", {}, {"text": "=SUM(A1)"}, "=SUM(A1)"),
        ("numeric", {}, {"value": "3,14"}, "3,14"),
        ("ordering", ORDER, {"order": ["2", "1", "3"]}, "B-A-C"),
        ("matching", PAIRS, {"pairs": {"p2": "Excel", "p1": "Word"}}, "A=Word; B=Excel"),
        ("file", {}, {"upload_id": 7}, "(đã nộp tệp)"),
        ("essay", {}, {"text": "Công đoàn cơ sở"}, "Công đoàn cơ sở"),
        ("single", CHOICES, None, None),
    ],
)
def test_an_answer_reads_as_one_cell_with_definition_letters(qtype, definition, response, text):
    assert QuestionReader(1, qtype, definition).text(response) == text


def test_the_key_is_full_marks_for_single_and_any_share_for_multiple():
    assert QuestionReader(1, "single", CHOICES).key.key == frozenset({"B"})
    assert QuestionReader(1, "multiple", SHARES).key.key == frozenset({"A", "B"})
    assert QuestionReader(1, "short", {}).key.options == ()


def test_an_item_response_carries_the_letters_chosen_and_the_fraction():
    reader = QuestionReader(9, "single", CHOICES)
    item = reader.item_response("TS01", {"choice": "z"}, 0.0)
    assert (item.question_id, item.choice, item.fraction) == (9, frozenset({"C"}), Decimal("0.0"))
    assert reader.item_response("TS02", None, None).fraction == Decimal(0)


def test_letters_run_past_z_and_correctness_waits_for_a_mark():
    assert [letter(0), letter(25), letter(26)] == ["A", "Z", "AA"]
    assert (is_correct(None), is_correct(0.5), is_correct(1.0)) == (None, False, True)
