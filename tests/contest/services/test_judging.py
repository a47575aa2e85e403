"""Judging services: marks, double marking, panels, adjustments with revisions, key fixes with a
regrade dry run, sign-off lock, publication and appeals. Each writes one audit row and keeps
Attempt.score (what rankings read) equal to the effective total."""

from datetime import timedelta
from decimal import Decimal

import pytest

from contest import events
from contest.models import Appeal, AuditLog, KeyFix, Mark, RoundBoard, ScoreAdjustment
from contest.services import judging, keyfixes, signoff
from contest.services.errors import Invalid, NotAllowed
from tests.contest.judging_helpers import judged_round, make_judge
from tests.contest.rounds_helpers import at

pytestmark = pytest.mark.django_db

NOW = at(4000)


@pytest.fixture
def setup(edition, organiser):
    # Lan: 3 right; Nam: 2 right; Hoa: 1 right.
    return judged_round(
        edition,
        organiser,
        [["a", "a", "a"], ["a", "a", "b"], ["a", "b", "b"]],
        names={0: "Phạm Thị Lan", 1: "Đỗ Văn Nam", 2: "Lê Thị Hoa"},
    )


def essay_slot(setup, index):
    attempt = setup.attempt(index)
    return attempt, setup.slot_of(attempt, setup.essay)


def actions(name):
    return AuditLog.objects.filter(action=name).count()


def test_it_leaves_essays_pending_after_the_round_closes(setup):
    attempt = setup.attempt(0)
    assert attempt.score == Decimal("3.00")
    assert attempt.pending_count == 1


def test_a_mark_sets_the_attempt_total_audits_once_and_hints_the_boards(
    setup, judge, django_capture_on_commit_callbacks
):
    attempt, slot = essay_slot(setup, 0)
    with events.capture() as published, django_capture_on_commit_callbacks(execute=True):
        judging.mark_answer(attempt_id=attempt.pk, slot=slot, judge=judge, awarded={"total": "4,5"}, now=NOW)
    attempt.refresh_from_db()
    assert (attempt.score, attempt.pending_count) == (Decimal("7.50"), 0)
    assert actions("score.marked") == 1
    assert (events.control_group(setup.round.pk), {"type": events.BOARD_HINT}) in published


def test_a_rubric_mark_needs_every_criterion_within_its_maximum(setup, judge, head_judge):
    judging.save_rubric(
        round_=setup.round,
        question_id=setup.essay.pk,
        criteria=judging.parse_criteria("Nội dung: 3\nTrình bày: 2"),
        mode="single",
        panel_size=3,
        actor=head_judge,
        now=NOW,
    )
    attempt, slot = essay_slot(setup, 0)
    with pytest.raises(Invalid, match="Chưa chấm tiêu chí"):
        judging.mark_answer(attempt_id=attempt.pk, slot=slot, judge=judge, awarded={"c1": "3"}, now=NOW)
    with pytest.raises(Invalid, match="ngoài khoảng"):
        judging.mark_answer(
            attempt_id=attempt.pk, slot=slot, judge=judge, awarded={"c1": "4", "c2": "1"}, now=NOW
        )
    mark = judging.mark_answer(
        attempt_id=attempt.pk, slot=slot, judge=judge, awarded={"c1": "2.5", "c2": "1"}, now=NOW
    )
    assert mark.total == Decimal("3.50")


def test_parse_criteria_names_the_bad_line():
    with pytest.raises(Invalid, match="Dòng 2"):
        judging.parse_criteria("Nội dung: 3\nTrình bày hai")


def test_adjustments_need_a_reason_keep_every_revision_and_the_latest_counts(setup, judge, head_judge):
    attempt = setup.attempt(1)
    slot = setup.slot_of(attempt, setup.questions[2])
    with pytest.raises(Invalid, match="lý do"):
        judging.adjust_score(
            attempt_id=attempt.pk, slot=slot, new_points="1", reason="", actor=judge, now=NOW
        )
    judging.adjust_score(
        attempt_id=attempt.pk, slot=slot, new_points="1", reason="Đáp án b cũng đúng", actor=judge, now=NOW
    )
    judging.adjust_score(
        attempt_id=attempt.pk,
        slot=slot,
        new_points="0,5",
        reason="Chỉ đúng một nửa",
        actor=head_judge,
        now=NOW + timedelta(minutes=1),
    )
    revisions = list(ScoreAdjustment.objects.filter(attempt=attempt).values_list("old_points", "new_points"))
    assert revisions == [(Decimal("0.00"), Decimal("1.00")), (Decimal("1.00"), Decimal("0.50"))]
    attempt.refresh_from_db()
    assert attempt.score == Decimal("2.50")
    assert actions("score.adjusted") == 2


def test_a_total_adjustment_adds_its_difference_and_survives_a_later_mark(setup, judge):
    attempt, slot = essay_slot(setup, 2)
    judging.adjust_score(
        attempt_id=attempt.pk,
        slot=None,
        new_points="3",
        reason="Cộng điểm thưởng theo quy chế",
        actor=judge,
        now=NOW,
    )
    judging.mark_answer(attempt_id=attempt.pk, slot=slot, judge=judge, awarded={"total": "2"}, now=NOW)
    attempt.refresh_from_db()
    assert attempt.score == Decimal("5.00")  # 1 right + 2 (bonus) + 2 (essay)


def test_an_adjustment_above_the_question_points_is_refused(setup, judge):
    attempt = setup.attempt(0)
    with pytest.raises(Invalid, match="vượt quá"):
        judging.adjust_score(
            attempt_id=attempt.pk, slot=0, new_points="9", reason="Quá nhiều điểm", actor=judge, now=NOW
        )


def test_double_marking_flags_a_discrepancy_and_a_third_judge_settles_it(setup, edition, head_judge):
    judging.configure_judging(
        round_=setup.round, values={"discrepancy_threshold": "1"}, actor=head_judge, now=NOW
    )
    judging.save_rubric(
        round_=setup.round,
        question_id=setup.essay.pk,
        criteria=[],
        mode="double",
        panel_size=3,
        actor=head_judge,
        now=NOW,
    )
    first, second, third, fourth = (make_judge(edition, f"gk-{n}") for n in range(4))
    attempt, slot = essay_slot(setup, 0)
    judging.mark_answer(attempt_id=attempt.pk, slot=slot, judge=first, awarded={"total": "1"}, now=NOW)
    attempt.refresh_from_db()
    assert attempt.pending_count == 1
    judging.mark_answer(attempt_id=attempt.pk, slot=slot, judge=second, awarded={"total": "4"}, now=NOW)
    attempt.refresh_from_db()
    assert attempt.pending_count == 1  # 3 points apart: a third judge must settle it
    judging.mark_answer(attempt_id=attempt.pk, slot=slot, judge=third, awarded={"total": "3.5"}, now=NOW)
    attempt.refresh_from_db()
    assert (attempt.score, attempt.pending_count) == (Decimal("6.50"), 0)
    with pytest.raises(NotAllowed):
        judging.mark_answer(attempt_id=attempt.pk, slot=slot, judge=fourth, awarded={"total": "5"}, now=NOW)


def test_two_close_double_marks_average(setup, edition, head_judge):
    judging.save_rubric(
        round_=setup.round,
        question_id=setup.essay.pk,
        criteria=[],
        mode="double",
        panel_size=3,
        actor=head_judge,
        now=NOW,
    )
    attempt, slot = essay_slot(setup, 0)
    for n, total in enumerate(["3", "4"]):
        judging.mark_answer(
            attempt_id=attempt.pk,
            slot=slot,
            judge=make_judge(edition, f"d{n}"),
            awarded={"total": total},
            now=NOW,
        )
    third = make_judge(edition, "d3")
    with pytest.raises(NotAllowed):
        judging.mark_answer(attempt_id=attempt.pk, slot=slot, judge=third, awarded={"total": "5"}, now=NOW)
    attempt.refresh_from_db()
    assert attempt.score == Decimal("6.50")


@pytest.mark.parametrize(
    ("method", "expected"), [("mean", "6.00"), ("median", "6.50"), ("trimmed_mean", "6.50")]
)
def test_a_panel_aggregates_every_judges_mark_as_configured(setup, edition, head_judge, method, expected):
    judging.configure_judging(round_=setup.round, values={"panel_method": method}, actor=head_judge, now=NOW)
    judging.save_rubric(
        round_=setup.round,
        question_id=setup.essay.pk,
        criteria=[],
        mode="panel",
        panel_size=4,
        actor=head_judge,
        now=NOW,
    )
    attempt, slot = essay_slot(setup, 0)
    for n, total in enumerate(["1", "3", "4", "4"]):
        judging.mark_answer(
            attempt_id=attempt.pk,
            slot=slot,
            judge=make_judge(edition, f"p{n}"),
            awarded={"total": total},
            now=NOW,
        )
        attempt.refresh_from_db()
        assert attempt.pending_count == (1 if n < 3 else 0)
    # mean 3.00, median 3.50, trimmed (3 + 4) / 2 = 3.50; plus 3 points of auto-graded answers.
    assert attempt.score == Decimal(expected)


def test_a_judge_marking_again_supersedes_their_own_mark(setup, judge):
    attempt, slot = essay_slot(setup, 0)
    judging.mark_answer(attempt_id=attempt.pk, slot=slot, judge=judge, awarded={"total": "2"}, now=NOW)
    judging.mark_answer(
        attempt_id=attempt.pk, slot=slot, judge=judge, awarded={"total": "3"}, now=NOW + timedelta(seconds=1)
    )
    attempt.refresh_from_db()
    assert attempt.score == Decimal("6.00")
    assert Mark.objects.filter(attempt=attempt).count() == 2


def key_question(setup):
    return setup.attempt(0).paper["slots"][setup.slot_of(setup.attempt(0), setup.questions[2])]["version_id"]


def test_a_regrade_dry_run_shows_who_gains_and_changes_nothing(
    setup, head_judge, django_capture_on_commit_callbacks
):
    version = key_question(setup)
    with events.capture() as published, django_capture_on_commit_callbacks(execute=True):
        dry = keyfixes.fix_key(
            round_=setup.round, version_id=version, kind="accept", key=["a", "b"],
            reason="Đáp án b cũng đúng theo luật mới", actor=head_judge, now=NOW, apply=False,
        )  # fmt: skip
    assert not dry.applied
    gains = {dry.names[c.entry_id]: (c.score_before, c.score_after) for c in dry.changes}
    nam = next(name for name in gains if name.startswith("Đỗ Văn Nam"))
    assert gains[nam] == (Decimal("2.00"), Decimal("3.00"))
    assert KeyFix.objects.count() == 0
    assert actions("key.fixed") == 0
    assert published == []
    assert setup.attempt(1).score == Decimal("2.00")


def test_applying_a_key_fix_regrades_atomically_with_one_audit_row(setup, head_judge):
    version = key_question(setup)
    result = keyfixes.fix_key(
        round_=setup.round, version_id=version, kind="correct", key=["b"],
        reason="Đáp án đúng là b", actor=head_judge, now=NOW, apply=True,
    )  # fmt: skip
    assert result.applied
    assert [setup.attempt(i).score for i in range(3)] == [Decimal("2.00"), Decimal("3.00"), Decimal("2.00")]
    assert actions("key.fixed") == 1


def test_voiding_a_question_removes_it_from_score_and_maximum(setup, head_judge):
    keyfixes.fix_key(
        round_=setup.round, version_id=key_question(setup), kind="void", key=[],
        reason="Câu hỏi có hai cách hiểu", actor=head_judge, now=NOW, apply=True,
    )  # fmt: skip
    attempt = setup.attempt(0)
    assert (attempt.score, attempt.max_score) == (Decimal("2.00"), Decimal("7.00"))


def test_key_fixes_wait_for_the_round_to_close(edition, organiser, head_judge):
    setup = judged_round(edition, organiser, [["a", "a", "a"]], close=False)
    with pytest.raises(NotAllowed):
        keyfixes.fix_key(
            round_=setup.round, version_id=key_question(setup), kind="void", key=[],
            reason="Câu hỏi sai", actor=head_judge, now=NOW, apply=True,
        )  # fmt: skip


def mark_all(setup, judge):
    for index in range(3):
        attempt, slot = essay_slot(setup, index)
        judging.mark_answer(attempt_id=attempt.pk, slot=slot, judge=judge, awarded={"total": "3"}, now=NOW)


def sign_all(setup, edition, head_judge):
    judging.configure_judging(round_=setup.round, values={"required_signers": 2}, actor=head_judge, now=NOW)
    signoff.sign_off(round_=setup.round, judge=make_judge(edition, "ky1"), now=NOW)
    return signoff.sign_off(round_=setup.round, judge=head_judge, now=NOW)


def test_sign_off_waits_for_pending_marks(setup, judge):
    with pytest.raises(NotAllowed, match="chưa chấm"):
        signoff.sign_off(round_=setup.round, judge=judge, now=NOW)


def test_the_results_lock_when_the_required_judges_signed_and_then_change_only_through_an_appeal(
    setup, edition, judge, head_judge
):
    mark_all(setup, judge)
    judging.configure_judging(round_=setup.round, values={"required_signers": 2}, actor=head_judge, now=NOW)
    first = signoff.sign_off(round_=setup.round, judge=judge, now=NOW)
    assert first.locked_at is None
    locked = signoff.sign_off(round_=setup.round, judge=head_judge, now=NOW)
    assert locked.locked_at == NOW
    attempt, slot = essay_slot(setup, 0)
    with pytest.raises(NotAllowed, match="khoá"):
        judging.adjust_score(
            attempt_id=attempt.pk, slot=slot, new_points="5", reason="Chấm lại", actor=judge, now=NOW
        )
    with pytest.raises(NotAllowed, match="khoá"):
        judging.mark_answer(attempt_id=attempt.pk, slot=slot, judge=judge, awarded={"total": "5"}, now=NOW)
    with pytest.raises(NotAllowed, match="khoá"):
        keyfixes.fix_key(
            round_=setup.round, version_id=key_question(setup), kind="void", key=[],
            reason="Câu hỏi sai", actor=head_judge, now=NOW, apply=True,
        )  # fmt: skip

    signoff.publish_results(round_=setup.round, actor=head_judge, now=NOW)
    assert RoundBoard.objects.get(round=setup.round).scores_published_at == NOW
    user = setup.registrations[0].person.user
    appeal = signoff.submit_appeal(attempt=attempt, slot=slot, reason="Bài của tôi đủ ý", user=user, now=NOW)
    signoff.recommend_appeal(appeal_id=appeal.pk, judge=judge, accept=True, text="Đủ ý, nên cộng", now=NOW)
    signoff.decide_appeal(
        appeal_id=appeal.pk, head_judge=head_judge, accept=True, answer="Chấp nhận, chấm lại 4 điểm",
        new_points="4", now=NOW,
    )  # fmt: skip
    attempt.refresh_from_db()
    assert attempt.score == Decimal("7.00")
    assert ScoreAdjustment.objects.get(attempt=attempt).appeal_id == appeal.pk
    assert actions("appeal.decided") == 1 and actions("score.adjusted") == 0


def test_an_accepted_appeal_opens_the_regrade_path_after_the_lock(setup, edition, judge, head_judge):
    mark_all(setup, judge)
    sign_all(setup, edition, head_judge)
    signoff.publish_results(round_=setup.round, actor=head_judge, now=NOW)
    attempt = setup.attempt(1)
    slot = setup.slot_of(attempt, setup.questions[2])
    appeal = signoff.submit_appeal(
        attempt=attempt,
        slot=slot,
        reason="Đáp án b cũng đúng",
        user=setup.registrations[1].person.user,
        now=NOW,
    )
    signoff.decide_appeal(
        appeal_id=appeal.pk, head_judge=head_judge, accept=True, answer="Chấp nhận: sửa đáp án", now=NOW
    )
    keyfixes.fix_key(
        round_=setup.round, version_id=key_question(setup), kind="accept", key=["a", "b"],
        reason="Theo khiếu nại", actor=head_judge, now=NOW, apply=True, appeal=Appeal.objects.get(pk=appeal.pk),
    )  # fmt: skip
    assert setup.attempt(1).score == Decimal("6.00")


def test_appeals_only_for_ones_own_sheet_and_within_the_window(setup, edition, judge, head_judge):
    mark_all(setup, judge)
    sign_all(setup, edition, head_judge)
    attempt, slot = essay_slot(setup, 0)
    own = setup.registrations[0].person.user
    with pytest.raises(NotAllowed, match="thời hạn"):
        signoff.submit_appeal(attempt=attempt, slot=slot, reason="Chưa công bố", user=own, now=NOW)
    signoff.publish_results(round_=setup.round, actor=head_judge, now=NOW)
    with pytest.raises(NotAllowed, match="không phải"):
        signoff.submit_appeal(
            attempt=attempt,
            slot=slot,
            reason="Bài của người khác",
            user=setup.registrations[1].person.user,
            now=NOW,
        )
    with pytest.raises(NotAllowed, match="thời hạn"):
        signoff.submit_appeal(
            attempt=attempt, slot=slot, reason="Quá muộn rồi", user=own, now=NOW + timedelta(hours=49)
        )


def test_a_rejected_appeal_changes_no_score(setup, edition, judge, head_judge):
    mark_all(setup, judge)
    sign_all(setup, edition, head_judge)
    signoff.publish_results(round_=setup.round, actor=head_judge, now=NOW)
    attempt, slot = essay_slot(setup, 0)
    appeal = signoff.submit_appeal(
        attempt=attempt, slot=slot, reason="Xin chấm lại", user=setup.registrations[0].person.user, now=NOW
    )
    signoff.decide_appeal(
        appeal_id=appeal.pk, head_judge=head_judge, accept=False, answer="Giữ nguyên điểm", now=NOW
    )
    attempt.refresh_from_db()
    assert attempt.score == Decimal("6.00")
    assert Appeal.objects.get(pk=appeal.pk).state == Appeal.State.REJECTED


def test_a_team_panel_mark_reaches_every_members_attempt(setup, edition, head_judge):
    from contest.models import Registration
    from tests import factories

    team = factories.make_team(edition=edition, unit=setup.registrations[0].unit)
    Registration.objects.filter(pk__in=[r.pk for r in setup.registrations[:2]]).update(team=team)
    judging.configure_judging(
        round_=setup.round, values={"panel_method": "median"}, actor=head_judge, now=NOW
    )
    judging.save_rubric(
        round_=setup.round, question_id=setup.essay.pk, criteria=judging.parse_criteria("Trình bày: 5"),
        mode="panel", panel_size=3, actor=head_judge, now=NOW,
    )  # fmt: skip
    for n, total in enumerate(["2", "4", "5"]):
        judging.mark_team(
            round_=setup.round, team_id=team.pk, question_id=setup.essay.pk, judge=make_judge(edition, f"hd{n}"),
            awarded={"c1": total}, now=NOW,
        )  # fmt: skip
    assert [setup.attempt(i).score for i in range(3)] == [Decimal("7.00"), Decimal("6.00"), Decimal("1.00")]
    assert setup.attempt(2).pending_count == 1  # not in the team: still waiting
    assert actions("score.marked_team") == 3
