"""Paper snapshots: deterministic per seed, shuffled per contestant, never leaking the key."""

from decimal import Decimal

import pytest

from quizzes import papers
from quizzes.models import BlueprintRule, Paper, Tag
from tests import factories


def spec(count=10, *, shuffle=True, draw=None):
    candidates = tuple(
        papers.Candidate(
            question_id=i,
            version_id=100 + i,
            qtype="single",
            points=Decimal("1"),
            option_ids=("a", "b", "c", "d"),
        )
        for i in range(1, count + 1)
    )
    rule = papers.Rule(count=draw or count, candidates=candidates)
    return papers.PaperSpec(paper_id=1, rules=(rule,), shuffle_questions=shuffle, shuffle_options=shuffle)


def test_the_same_seed_draws_the_same_paper():
    assert papers.draw(spec(), 42) == papers.draw(spec(), 42)


def test_different_seeds_shuffle_questions_and_options_differently():
    one, other = papers.draw(spec(), 1), papers.draw(spec(), 2)
    assert [s["version_id"] for s in one["slots"]] != [s["version_id"] for s in other["slots"]]
    assert sorted(s["version_id"] for s in one["slots"]) == sorted(s["version_id"] for s in other["slots"])
    assert all(sorted(s["option_order"]) == ["a", "b", "c", "d"] for s in one["slots"])


def test_without_shuffling_the_paper_keeps_its_order():
    snapshot = papers.draw(spec(shuffle=False), 7)
    assert [s["version_id"] for s in snapshot["slots"]] == list(range(101, 111))
    assert snapshot["slots"][0]["option_order"] == ["a", "b", "c", "d"]
    assert [s["slot"] for s in snapshot["slots"]] == list(range(10))
    assert snapshot["max_score"] == "10.00" and snapshot["seed"] == 7


def test_a_blueprint_rule_draws_its_count_without_repeating_a_question():
    snapshot = papers.draw(spec(20, draw=5), 3)
    ids = [s["question_id"] for s in snapshot["slots"]]
    assert len(ids) == 5 == len(set(ids))


def test_it_explains_a_rule_that_cannot_be_filled():
    assert papers.check_spec(spec(3, draw=5))


@pytest.mark.django_db
def test_it_builds_from_a_blueprint_by_tags_and_hides_the_key(edition):
    bank = factories.make_bank(edition=edition)
    word = Tag.objects.create(name="IU03")
    tagged = [factories.make_question(bank=bank, tags=[word]) for _ in range(4)]
    factories.make_question(bank=bank)
    paper = Paper.objects.create(edition=edition, name="Ma trận", kind=Paper.Kind.BLUEPRINT)
    rule = BlueprintRule.objects.create(paper=paper, position=1, bank=bank, count=3, points=Decimal("2"))
    rule.tags.set([word])
    snapshot = papers.draw(papers.load_spec(paper), 99)
    assert {s["question_id"] for s in snapshot["slots"]} <= {q.pk for q in tagged}
    assert snapshot["max_score"] == "6.00"
    public = papers.public_questions(snapshot)
    assert len(public) == 3
    assert "fraction" not in str(public)
    first = public[0]["definition"]["options"]
    assert [o["id"] for o in first] == snapshot["slots"][0]["option_order"]


@pytest.mark.django_db
def test_a_paper_without_enough_questions_is_refused(edition):
    paper = Paper.objects.create(edition=edition, name="Rỗng", kind=Paper.Kind.BLUEPRINT)
    BlueprintRule.objects.create(paper=paper, position=1, bank=factories.make_bank(edition=edition), count=2)
    with pytest.raises(papers.PaperError):
        papers.load_spec(paper)
