from decimal import Decimal

import pytest

from contest.exporters.collect import collect
from contest.prizes import PrizeLevel
from tests.contest.exporters.export_helpers import NAMES, NOW, finished_edition
from tests.contest.scoring_helpers import answer_all, contestants

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(edition, organiser):
    return finished_edition(edition, organiser)


def test_it_collects_ranks_prizes_teams_and_units_without_the_practice_round(scenario):
    collected = collect(scenario.edition, now=NOW)
    data = collected.data
    assert [r.slug for r in data.rounds] == ["vong-1"]
    by_code = {c.code: c for c in data.contestants}
    assert by_code["TS01"].rank == 1 and by_code["TS01"].prize is PrizeLevel.FIRST
    assert by_code["TS02"].prize is PrizeLevel.SECOND
    assert by_code["TS04"].rank is None and by_code["TS04"].rounds == ()
    assert by_code["TS01"].rounds[0].score == Decimal(3)
    assert {t.code: t.prize for t in data.teams} == {"D1": PrizeLevel.FIRST}
    units = {u.code: u for u in data.units}
    assert units["BD"].took_part == 2 and units["BD"].rank == 1


def test_the_breakdown_shows_each_answer_by_definition_letter(scenario):
    (detail,) = collect(scenario.edition, now=NOW).details
    table = detail.breakdown
    rows = {row[0]: row for row in table.rows}
    # lead: code, name, unit, total; then (answer, correct, points) per question. Slots are
    # shuffled per contestant, so compare the questions as a multiset.
    cells = [tuple(rows["TS03"][i : i + 3]) for i in range(4, 13, 3)]
    assert sorted(cells) == [("A", True, Decimal("1.00"))] + [("B", False, Decimal("0.00"))] * 2
    assert [row[1] for row in table.rows] == ["Lê Minh Đức", "Nguyễn Thị Quỳnh Hương", "Đỗ Văn Nam"]
    assert NAMES[3] not in [row[1] for row in table.rows]


def test_the_item_analysis_has_one_row_per_question(scenario):
    (detail,) = collect(scenario.edition, now=NOW).details
    assert [row[0].split(":")[0] for row in detail.item_analysis.rows] == ["Câu 1", "Câu 2", "Câu 3"]
    assert detail.item_analysis.rows[0][1] == 3  # responses


def test_one_round_gives_the_round_ranks_and_no_prizes(scenario):
    data = collect(scenario.edition, now=NOW, round_=scenario.round, details=False).data
    assert {c.code: c.rank for c in data.contestants if c.rank} == {"TS01": 1, "TS02": 2, "TS03": 3}
    assert all(c.prize is None for c in data.contestants)


def test_collecting_runs_a_fixed_number_of_queries(scenario, django_assert_max_num_queries):
    collect(scenario.edition, now=NOW)  # warm caches of content types etc.
    with django_assert_max_num_queries(30) as few:
        collect(scenario.edition, now=NOW)
    for person in contestants(scenario.edition, 15):
        answer_all(scenario.round, person, ["a", "b", "b"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        collected = collect(scenario.edition, now=NOW)
    assert len(collected.data.contestants) == 19


def test_the_breakdown_shows_the_judges_adjusted_points(scenario, judge):
    from contest.models import ScoreAdjustment

    attempt = scenario.people[0].attempts.get(round=scenario.round)
    ScoreAdjustment.objects.create(
        attempt=attempt, slot=0, old_points=Decimal(1), new_points=Decimal("0.5"), reason="Sai chính tả",
        actor=judge, created_at=NOW,
    )  # fmt: skip
    question_id = attempt.paper["slots"][0]["question_id"]
    (detail,) = collect(scenario.edition, now=NOW).details
    column = [c.header for c in detail.breakdown.columns].index(
        f"Câu {_position(scenario.round, question_id)} – Điểm"
    )
    row = next(r for r in detail.breakdown.rows if r[0] == "TS01")
    assert (row[column - 1], row[column]) == (False, Decimal("0.50"))


def _position(round_, question_id):
    return round_.paper.items.get(question_id=question_id).position
