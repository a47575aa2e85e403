"""The demo bank: enough good Vietnamese IT-skills questions, well tagged, seeded once."""

import unicodedata
from collections import Counter

from quizzes.demo import seed_demo_bank
from quizzes.models import Question, Tag


def test_the_demo_bank_covers_every_module_with_tagged_questions_and_is_idempotent(edition):
    bank = seed_demo_bank(edition)
    assert seed_demo_bank(edition) == bank
    questions = list(
        Question.objects.filter(bank=bank).select_related("current_version").prefetch_related("tags")
    )
    assert len(questions) >= 40
    types = Counter(q.qtype for q in questions)
    assert types["single"] > len(questions) / 2
    assert types["multiple"] and types["truefalse"] and types["short"] and types["numeric"]
    modules = Counter(t.name for q in questions for t in q.tags.all() if t.kind == Tag.Kind.MODULE)
    assert set(modules) == {"IU01", "IU02", "IU03", "IU04", "IU05", "IU06"}
    assert {t.name for t in Tag.objects.filter(kind=Tag.Kind.DIFFICULTY)} == {"dễ", "trung bình", "khó"}
    predictions = [q for q in questions if q.current_version.definition.get("prediction")]
    assert len(predictions) == 1
    for question in questions:
        stem = question.current_version.stem_html
        assert stem == unicodedata.normalize("NFC", stem)
        assert any(t.kind == Tag.Kind.DIFFICULTY for t in question.tags.all()), question
