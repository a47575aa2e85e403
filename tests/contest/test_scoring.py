"""Scores, rankings, prizes and advancement wired to the models: selectors and services."""

from decimal import Decimal

import pytest

from contest import scoring_selectors as scores
from contest.models import AuditLog, PrizeDecision, Round, RoundBoard
from contest.services import rounds as round_services
from contest.services import scoring
from contest.services.errors import Invalid, NotAllowed
from tests import factories
from tests.contest.rounds_helpers import at, published_events
from tests.contest.scoring_helpers import answer_all, contestants, enter_round, started_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(edition, organiser):
    return started_round(edition, organiser)


def test_round_scores_come_from_the_graded_answers(edition, round_):
    lan, nam, minh = contestants(edition, 3, names={0: "Phạm Thị Lan", 1: "Đỗ Văn Nam", 2: "Lê Minh"})
    answer_all(round_, lan, ["a", "a", "b"])
    answer_all(round_, nam, ["a", "a", "a"])
    standing = scores.round_standing(round_, now=at(60))
    assert [(row.name, str(row.score)) for row in standing.rows] == [
        ("Đỗ Văn Nam", "3.00"),
        ("Phạm Thị Lan", "2.00"),
    ]
    assert [r.rank for r in standing.ranking.rows] == [1, 2]
    assert {row.name for row in standing.everyone} == {"Phạm Thị Lan", "Đỗ Văn Nam", "Lê Minh"}


def test_ties_share_a_rank_and_list_in_vietnamese_name_order(edition, round_):
    people = contestants(edition, 3, names={0: "Trần Văn Bình", 1: "Nguyễn Văn An", 2: "Lê Thị Cúc"})
    for person in people:
        answer_all(round_, person, ["a", "b", "b"])
    standing = scores.rank_rows(scores.round_results(round_, now=at(60)))
    assert [row.name for row in standing.rows] == ["Nguyễn Văn An", "Trần Văn Bình", "Lê Thị Cúc"]
    assert [r.rank for r in standing.ranking.rows] == [1, 1, 1]


def test_the_full_chain_breaks_a_tie_on_time_used(edition, round_):
    early, late = contestants(edition, 2, names={0: "Vũ Văn Sớm", 1: "An Văn Muộn"})
    answer_all(round_, early, ["a"], enter_at=at(5))
    answer_all(round_, late, ["a"], enter_at=at(8))
    for person in (early, late):
        attempt = person.attempts.get()
        attempt.state, attempt.submitted_at = "submitted", at(100)
        attempt.save(update_fields=["state", "submitted_at"])
    standing = scores.round_standing(round_, now=at(200))
    assert [row.name for row in standing.rows] == ["An Văn Muộn", "Vũ Văn Sớm"]
    assert standing.ranking.reasons[0].step == "time_used"


def test_a_round_counts_the_best_or_the_last_attempt(edition, organiser):
    from contest.models import Attempt

    round_ = started_round(edition, organiser, attempts_allowed=2)
    (lan,) = contestants(edition, 1)
    answer_all(round_, lan, ["a", "a", "a"])
    first = Attempt.objects.get(registration=lan)
    Attempt.objects.filter(pk=first.pk).update(state="submitted", submitted_at=at(30))
    Attempt.objects.create(
        round=round_, registration=lan, number=2, seed=1, paper=first.paper, state="submitted",
        started_at=at(40), submitted_at=at(50), score=Decimal(1), max_score=first.max_score,
    )  # fmt: skip
    assert scores.round_results(round_, now=at(60))[0].score == Decimal(3)
    Round.objects.filter(pk=round_.pk).update(counts="last")
    round_.refresh_from_db()
    assert scores.round_results(round_, now=at(60))[0].score == Decimal(1)


def test_the_board_selector_runs_a_fixed_number_of_queries(edition, round_, django_assert_max_num_queries):
    people = contestants(edition, 12)
    for person in people:
        answer_all(round_, person, ["a", "b"])
    round_ = Round.objects.select_related("edition").get(pk=round_.pk)
    with django_assert_max_num_queries(7):
        standing = scores.round_standing(round_, now=at(60))
        scores.board_view_rows(
            standing, "individual", rule=scores.team_rule(scores.get_edition_scoring(edition))
        )
    assert len(standing.rows) == 12


def test_the_edition_ranking_runs_a_fixed_number_of_queries_per_round(
    edition, organiser, django_assert_max_num_queries
):
    first, second = started_round(edition, organiser), started_round(edition, organiser)
    people = contestants(edition, 8)
    for person in people:
        answer_all(first, person, ["a"])
        answer_all(second, person, ["a", "a"])
    with django_assert_max_num_queries(1 + 2 * 5):
        result = scores.edition_standing(edition, now=at(60))
    assert len(result.standing.rows) == 8 and result.standing.rows[0].score == Decimal("50.00")


def test_practice_rounds_are_never_ranked(edition, organiser):
    practice = started_round(edition, organiser, is_practice=True)
    (lan,) = contestants(edition, 1)
    answer_all(practice, lan, ["a"])
    assert scores.ranked_rounds(edition) == []
    assert scores.edition_standing(edition, now=at(60)).standing.rows == ()


def test_the_combined_score_weights_each_round(edition, organiser):
    qualifier, final = started_round(edition, organiser), started_round(edition, organiser)
    scoring.configure_board(round_=qualifier, visibility="organisers", freeze_minutes=0, weight="30",
                            chain=["score"], actor=organiser, now=at(1))  # fmt: skip
    scoring.configure_board(round_=final, visibility="organisers", freeze_minutes=0, weight="70",
                            chain=["score"], actor=organiser, now=at(1))  # fmt: skip
    (lan,) = contestants(edition, 1)
    answer_all(qualifier, lan, ["a", "a", "a"])  # 100 %
    answer_all(final, lan, ["a", "b", "b"])  # 33.33 %
    row = scores.edition_standing(edition, now=at(60)).standing.rows[0]
    assert row.score == Decimal("53.33")  # 0.3 × 100 + 0.7 × 33.33


def test_configuring_a_board_is_audited_and_hints_the_boards(
    edition, round_, organiser, django_capture_on_commit_callbacks
):
    with published_events(django_capture_on_commit_callbacks) as sent:
        board = scoring.configure_board(
            round_=round_, visibility="public", freeze_minutes=10, weight="2", chain=["score", "time_used"],
            actor=organiser, now=at(1), ip="10.0.0.1",
        )  # fmt: skip
    assert board.visibility == "public" and len(board.public_token) >= 32
    row = AuditLog.objects.get(action="board.configured")
    assert row.before["visibility"] == "organisers" and row.after["freeze_minutes"] == 10
    assert row.actor_id == organiser.pk and row.ip_address == "10.0.0.1"
    assert sent == [(f"round.{round_.pk}.control", {"type": "board.hint"})]


def test_a_bad_tie_break_chain_is_refused_and_changes_nothing(round_, organiser):
    with pytest.raises(Invalid):
        scoring.configure_board(round_=round_, visibility="public", freeze_minutes=0, weight="1",
                                chain=["score", "luck"], actor=organiser, now=at(1))  # fmt: skip
    assert not RoundBoard.objects.exists() and not AuditLog.objects.filter(action="board.configured").exists()


def test_the_prediction_truth_is_entered_or_computed_at_close(edition, round_, organiser):
    people = contestants(edition, 3)
    answer_all(round_, people[0], ["a", "a", "a"])
    answer_all(round_, people[1], ["a", "a", "a"])
    answer_all(round_, people[2], ["a", "b", "a"])
    board = scoring.set_prediction_truth(round_=round_, truth="12,5", actor=organiser, now=at(30))
    assert board.prediction_truth == Decimal("12.5") and board.truth_source == "organiser"
    with pytest.raises(NotAllowed):
        scoring.compute_prediction_truth(round_=round_, actor=organiser, now=at(40))
    round_ = round_services.close_round(round_=round_, actor=organiser, now=at(50))
    board = scoring.compute_prediction_truth(round_=round_, actor=organiser, now=at(60))
    assert board.prediction_truth == 2 and board.truth_source == "computed"
    actions = list(
        AuditLog.objects.filter(action__startswith="board.prediction").values_list("action", flat=True)
    )
    assert sorted(actions) == ["board.prediction_truth_computed", "board.prediction_truth_set"]


def test_the_reveal_goes_row_by_row_and_stops_at_the_end(edition, round_, organiser):
    people = contestants(edition, 2)
    answer_all(round_, people[0], ["a"])
    answer_all(round_, people[1], ["a", "a"])
    with pytest.raises(NotAllowed):
        scoring.start_reveal(round_=round_, actor=organiser, now=at(30))
    round_ = round_services.close_round(round_=round_, actor=organiser, now=at(50))
    scoring.start_reveal(round_=round_, actor=organiser, now=at(60))
    scoring.reveal_next(round_=round_, actor=organiser, now=at(61))
    board = scoring.reveal_next(round_=round_, actor=organiser, now=at(62))
    assert board.reveal_step == 2
    with pytest.raises(NotAllowed):
        scoring.reveal_next(round_=round_, actor=organiser, now=at(63))
    assert AuditLog.objects.filter(action="board.revealed").count() == 2


def test_confirming_advancement_registers_the_list_for_the_next_round(edition, round_, organiser):
    final = factories.make_round(edition=edition, name="Chung kết")
    people = contestants(edition, 3)
    for index, person in enumerate(people):
        answer_all(round_, person, ["a"] * (index + 1))
    standing = scores.round_standing(round_, now=at(60))
    from contest.team_scores import select_advancing

    (cut,) = select_advancing(standing.ranking, 2)
    count = scoring.confirm_advancement(
        from_round=round_, to_round=final, registration_ids=cut.advancing, actor=organiser, now=at(70)
    )
    assert count == 2 and set(final.entry_registrations.values_list("pk", flat=True)) == set(cut.advancing)
    row = AuditLog.objects.get(action="round.advancement_confirmed")
    assert row.after == {"from_round": round_.pk, "registrations": sorted(cut.advancing)}


def test_advancement_refuses_people_of_another_edition(edition, round_, organiser):
    other = factories.make_edition()
    stranger = factories.make_contestant(edition=other)
    final = factories.make_round(edition=edition)
    with pytest.raises(Invalid):
        scoring.confirm_advancement(from_round=round_, to_round=final, registration_ids=[stranger.pk],
                                    actor=organiser, now=at(70))  # fmt: skip
    assert not final.entry_registrations.exists()


def test_a_boundary_tie_is_shown_then_decided_with_an_audited_reason(edition, round_, organiser):
    people = contestants(edition, 3)
    answer_all(round_, people[0], ["a", "a"])
    answer_all(round_, people[1], ["a"])
    answer_all(round_, people[2], ["a"])
    standing = scores.round_standing(round_, now=at(60))
    quotas = {"first": 1, "second": 1}
    result = scores.prize_result(standing, quotas, scores.decisions_for(edition, "individual"))
    assert result.needs_decision is not None and set(result.needs_decision.tied) == {
        people[1].pk,
        people[2].pk,
    }
    with pytest.raises(Invalid):
        scoring.decide_prize_tie(edition=edition, scope="individual", level="second", tied=[people[1].pk, people[2].pk],
                                 awarded=[people[1].pk], actor=organiser, now=at(70))  # fmt: skip
    scoring.decide_prize_tie(edition=edition, scope="individual", level="second", tied=[people[1].pk, people[2].pk],
                             awarded=[people[1].pk, people[2].pk], actor=organiser, now=at(70),
                             reason="Hai thí sinh bằng nhau mọi tiêu chí")  # fmt: skip
    result = scores.prize_result(standing, quotas, scores.decisions_for(edition, "individual"))
    assert result.complete and {a.entry_id for a in result.awards if a.level == "second"} == {
        people[1].pk,
        people[2].pk,
    }
    assert (
        PrizeDecision.objects.count() == 1
        and AuditLog.objects.filter(action="prize.tie_decided").count() == 1
    )


def test_units_rank_by_participation_and_prize_points(edition, round_):
    big = factories.make_unit(edition=edition, expected_headcount=4)
    small = factories.make_unit(edition=edition, expected_headcount=1)
    team = factories.make_team(edition=edition, unit=big)
    people = contestants(edition, 2, unit=big, team=team)
    (solo,) = contestants(edition, 1, unit=small)
    answer_all(round_, people[0], ["a", "a"])
    answer_all(round_, people[1], ["a"])
    answer_all(round_, solo, ["a", "a", "a"])
    overall = scores.edition_standing(edition, now=at(60)).standing
    prizes = scores.prize_result(overall, {"first": 1}, [])
    _units, ranked = scores.edition_units(edition, overall, prizes, scores.get_edition_scoring(edition))
    assert ranked.scores[small.pk].total == Decimal("110.00")  # 100 % + 10 points
    assert ranked.scores[big.pk].total == Decimal("50.00")
    teams = scores.team_standing(overall, scores.team_rule(scores.get_edition_scoring(edition)))
    assert [row.name for row in teams.rows] == [team.name]


def test_the_frozen_board_is_taken_at_the_freeze_start_and_again_if_the_close_moves(
    edition, round_, organiser
):
    scoring.configure_board(round_=round_, visibility="public", freeze_minutes=10, weight="1", chain=["score"],
                            actor=organiser, now=at(1))  # fmt: skip
    lan, nam = contestants(edition, 2)
    answer_all(round_, lan, ["a"], now=at(20))
    answer_all(round_, nam, ["a", "a"], now=at(3100), enter_at=at(3050))  # after the freeze began (3000)
    board = scoring.ensure_frozen(round_=round_, now=at(3200))
    assert board.frozen_at == at(3000)
    assert [(row["id"], row["score"]) for row in board.frozen_rows["individual"]] == [(lan.pk, "1.00")]
    assert scoring.ensure_frozen(round_=round_, now=at(3300)).frozen_rows == board.frozen_rows
    Round.objects.filter(pk=round_.pk).update(closes_at=at(7200))  # the close moved: so does the freeze
    round_.refresh_from_db()
    board = scoring.ensure_frozen(round_=round_, now=at(6700))
    assert board.frozen_at == at(6600)
    assert [row["id"] for row in board.frozen_rows["individual"]] == [nam.pk, lan.pk]


def test_the_prediction_question_breaks_a_tie_once_its_truth_is_known(edition, organiser):
    from contest.services import answers

    bank = factories.make_bank(edition=edition)
    scored = factories.make_question(bank=bank)
    prediction = factories.make_question(
        bank=bank,
        qtype="numeric",
        definition={"answers": [{"value": None, "fraction": 0.0}], "prediction": True},
    )
    paper = factories.make_paper(edition=edition, questions=[scored, prediction], shuffle=False)
    round_ = round_services.start_round(
        round_=factories.make_round(edition=edition, paper=paper, opens_at=at(0), closes_at=at(3600)),
        actor=organiser,
        now=at(0),
    )
    scoring.configure_board(round_=round_, visibility="organisers", freeze_minutes=0, weight="1",
                            chain=["score", "prediction"], actor=organiser, now=at(1))  # fmt: skip
    far, near = contestants(edition, 2, names={0: "Vũ Thị An", 1: "Lê Văn Xuân"})
    for person, guess in ((far, "80"), (near, "118,5")):
        answer_all(round_, person, ["a"])
        answers.save_answers(
            [answers.AnswerIn(round_id=round_.pk, registration_id=person.pk, client_message_id=f"g{person.pk}",
                              slot=1, base=0, response={"value": guess}, received_at=at(30))],
            now=at(30),
        )  # fmt: skip
    tied = scores.round_standing(round_, now=at(60))
    assert [row.name for row in tied.rows] == ["Vũ Thị An", "Lê Văn Xuân"] and tied.ranking.reasons[0].is_tie
    scoring.set_prediction_truth(round_=round_, truth="120", actor=organiser, now=at(70))
    ranked = scores.round_standing(round_, now=at(80))
    assert [row.name for row in ranked.rows] == ["Lê Văn Xuân", "Vũ Thị An"]
    assert ranked.ranking.reasons[0].step == "prediction"


def test_full_marks_for_the_computed_truth_leave_out_the_prediction_questions_points(edition, organiser):
    from contest.services import answers

    bank = factories.make_bank(edition=edition)
    prediction = factories.make_question(
        bank=bank,
        qtype="numeric",
        definition={"answers": [{"value": None, "fraction": 0.0}], "prediction": True},
    )
    paper = factories.make_paper(edition=edition, questions=[factories.make_question(bank=bank), prediction])
    round_ = round_services.start_round(
        round_=factories.make_round(edition=edition, paper=paper, opens_at=at(0), closes_at=at(3600)),
        actor=organiser,
        now=at(0),
    )
    perfect, wrong = contestants(edition, 2)
    for person, choice in ((perfect, "a"), (wrong, "b")):
        enter_round(round_=round_, registration=person, now=at(5))
        slots = person.attempts.get().paper["slots"]
        scored_slot = next(i for i, slot in enumerate(slots) if slot["question_id"] != prediction.pk)
        item = answers.AnswerIn(
            round_id=round_.pk, registration_id=person.pk, client_message_id=f"s{person.pk}", slot=scored_slot,
            base=0, response={"choice": choice}, received_at=at(30),
        )  # fmt: skip
        answers.save_answers([item], now=at(30))
    assert scores.perfect_score_count(round_, now=at(60)) == 1
