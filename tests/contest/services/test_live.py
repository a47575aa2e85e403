"""The per-question lifecycle of a live round: transitions, audit, events, answers, scoring,
team play, closing on time and early."""

from datetime import timedelta
from decimal import Decimal

import pytest

from contest import live_selectors
from contest.models import Attempt, AuditLog, Round, Team
from contest.services import live as live_services
from contest.services import rounds as round_services
from contest.services.answers import AnswerIn, save_answers
from contest.services.errors import Conflict, NotAllowed
from tests import factories
from tests.contest.live_helpers import enter_all, fresh, live_round
from tests.contest.rounds_helpers import at, published_events

pytestmark = pytest.mark.django_db


def answer(round_, registration, choice, *, when, slot=None, sent_at=None, rtt=0.0, mid=None):
    slot = fresh(round_).live_question_index if slot is None else slot
    item = AnswerIn(
        round_id=round_.pk,
        registration_id=registration.pk,
        client_message_id=mid or f"m-{registration.pk}-{slot}-{when.timestamp()}",
        slot=slot,
        base=0,
        response={"choice": choice},
        received_at=when,
        sent_at=sent_at,
        rtt_seconds=rtt,
    )
    return save_answers([item], now=when)[0]


@pytest.fixture
def round_(edition, organiser, contestant, other_contestant):
    round_ = live_round(edition, organiser, now=at(0))
    enter_all(round_, [contestant, other_contestant], now=at(1))
    return fresh(round_)


def test_a_question_goes_through_its_whole_lifecycle(
    round_, organiser, contestant, other_contestant, django_capture_on_commit_callbacks
):
    with published_events(django_capture_on_commit_callbacks) as sent:
        opened = live_services.open_question(round_=round_, actor=organiser, now=at(10))
    assert (opened.live_question_index, opened.live_question_state) == (0, "open")
    assert opened.live_question_deadline == at(30)  # the round's default of 20 s
    picture = next(frame for _group, frame in sent if frame["type"] == "live.question")
    assert picture["state"] == "open" and picture["question"]["stem_html"]
    assert picture["reveal"] is None and "fraction" not in str(picture["question"])  # never the key

    assert answer(round_, contestant, "a", when=at(12)).ok
    assert answer(round_, other_contestant, "b", when=at(13)).ok
    closed = live_services.close_question(round_=fresh(round_), actor=organiser, now=at(14))
    revealed = live_services.reveal(round_=closed, actor=organiser, now=at(15))
    picture = live_selectors.live_picture(revealed, now=at(15))
    assert picture["reveal"]["correct"] == ["a"]
    assert picture["reveal"]["distribution"] == {"a": 1, "b": 1, "c": 0}
    board = live_services.show_leaderboard(round_=revealed, actor=organiser, now=at(16))
    rows = live_selectors.live_picture(board, now=at(16))["leaderboard"]
    assert [(row["name"], row["score"]) for row in rows] == [
        ("Phạm Thị Lan", "10.00"),
        ("Đỗ Văn Nam", "0.00"),
    ]
    after = live_services.next_question(round_=board, actor=organiser, now=at(17))
    assert (after.live_question_index, after.live_question_state) == (1, "pending")
    actions = list(
        AuditLog.objects.filter(object_id=str(round_.pk)).order_by("pk").values_list("action", flat=True)
    )
    assert [a for a in actions if a.startswith("live.")] == [
        "live.open_question",
        "live.close_question",
        "live.reveal",
        "live.show_leaderboard",
        "live.next_question",
    ]


def test_an_action_not_allowed_in_the_question_state_is_refused(round_, organiser):
    with pytest.raises(NotAllowed):
        live_services.reveal(round_=round_, actor=organiser, now=at(5))
    with pytest.raises(NotAllowed):
        live_services.next_question(round_=round_, actor=organiser, now=at(5))


def test_two_hosts_cannot_both_open_the_question(round_, organiser):
    live_services.open_question(round_=round_, actor=organiser, now=at(10))
    with pytest.raises(Conflict):
        live_services.open_question(round_=round_, actor=organiser, now=at(10))  # the stale row
    assert AuditLog.objects.filter(action="live.open_question").count() == 1


def test_answers_count_only_for_the_open_question_and_once(round_, organiser, contestant):
    assert answer(round_, contestant, "a", when=at(5), slot=0).reason == "question_closed"
    live_services.open_question(round_=round_, actor=organiser, now=at(10))
    assert answer(round_, contestant, "a", when=at(11), slot=1).reason == "question_closed"
    assert answer(round_, contestant, "a", when=at(12)).ok
    assert answer(round_, contestant, "b", when=at(13)).reason == "answered"
    assert answer(round_, contestant, "b", when=at(31.5)).reason == "answered"


def test_an_answer_after_the_question_time_and_grace_is_refused(round_, organiser, contestant):
    live_services.open_question(round_=round_, actor=organiser, now=at(10))
    assert answer(round_, contestant, "a", when=at(31.5)).reason == "too_late"  # deadline 30 + 1 s grace


def test_a_reopened_question_takes_new_answers_and_needs_a_reason(round_, organiser, contestant):
    live_services.open_question(round_=round_, actor=organiser, now=at(10))
    assert answer(round_, contestant, "b", when=at(12)).ok
    closed = live_services.close_question(round_=fresh(round_), actor=organiser, now=at(13))
    with pytest.raises(NotAllowed):
        live_services.reopen_question(round_=closed, reason=" ", actor=organiser, now=at(14))
    again = live_services.reopen_question(
        round_=closed, reason="Mất điện hội trường", actor=organiser, now=at(20)
    )
    assert again.live_question_state == "open" and again.live_question_deadline == at(40)
    assert answer(round_, contestant, "a", when=at(22)).ok
    assert Attempt.objects.get(registration=contestant).score == Decimal("10.00")
    row = AuditLog.objects.get(action="live.reopen_question")
    assert row.reason == "Mất điện hội trường" and row.actor_id == organiser.pk


def test_speed_scoring_counts_from_the_hand_over_net_of_the_round_trip(
    edition, organiser, contestant, other_contestant
):
    round_ = live_round(edition, organiser, now=at(0), live_scoring=Round.LiveScoring.SPEED)
    enter_all(round_, [contestant, other_contestant], now=at(1))
    live_services.open_question(round_=fresh(round_), actor=organiser, now=at(10))
    # Both thought for 10 s of the 20 s; the second sits behind a 1 s round trip: both earn 75 %.
    answer(round_, contestant, "a", when=at(20.1), sent_at=at(10.05), rtt=0.05)
    answer(round_, other_contestant, "a", when=at(21.1), sent_at=at(10.1), rtt=1.0)
    scores = dict(Attempt.objects.values_list("registration_id", "score"))
    assert scores == {contestant.pk: Decimal("7.50"), other_contestant.pk: Decimal("7.50")}


def test_a_streak_of_right_answers_earns_a_bonus(edition, organiser, contestant):
    round_ = live_round(edition, organiser, now=at(0), live_streak_bonus=True)
    enter_all(round_, [contestant], now=at(1))
    for index, start in enumerate((10, 40)):
        current = live_services.open_question(round_=fresh(round_), actor=organiser, now=at(start))
        answer(round_, contestant, "a", when=at(start + 2))
        current = live_services.reveal(
            round_=live_services.close_question(round_=fresh(round_), actor=organiser, now=at(start + 3)),
            actor=organiser,
            now=at(start + 4),
        )
        if index == 0:
            live_services.next_question(round_=current, actor=organiser, now=at(start + 5))
    assert Attempt.objects.get(registration=contestant).score == Decimal("21.00")  # 10 + (10 + 10 %)


def test_the_clock_closes_a_question_once_its_time_and_grace_are_over(round_, organiser):
    live_services.open_question(round_=round_, actor=organiser, now=at(10))
    assert live_services.close_due_questions(now=at(30.5)) == 0  # in the grace
    assert live_services.close_due_questions(now=at(31.5)) == 1
    assert fresh(round_).live_question_state == "closed"
    assert AuditLog.objects.get(action="live.close_question").after["why"] == "time"


def test_a_pause_stops_the_question_clock(round_, organiser):
    live_services.open_question(round_=round_, actor=organiser, now=at(10))
    paused = round_services.pause_round(round_=fresh(round_), actor=organiser, now=at(15))
    assert live_services.close_due_questions(now=at(100)) == 0
    resumed = round_services.resume_round(round_=paused, actor=organiser, now=at(75))
    assert resumed.live_question_deadline == at(90)  # 15 s were left at the pause


def test_the_question_closes_early_when_everyone_joined_has_answered(
    round_, organiser, contestant, other_contestant, edition
):
    absent = factories.make_contestant(edition=edition, full_name="Lê Văn Vắng")
    enter_all(fresh(round_), [absent], now=at(2), connected=False)
    live_services.open_question(round_=round_, actor=organiser, now=at(10))
    answer(round_, contestant, "a", when=at(11))
    assert not live_services.close_if_all_answered(round_id=round_.pk, now=at(11))
    answer(round_, other_contestant, "c", when=at(12))
    assert live_services.close_if_all_answered(round_id=round_.pk, now=at(12))
    assert fresh(round_).live_question_state == "closed"
    assert AuditLog.objects.get(action="live.close_question").after["why"] == "all_answered"


def test_skipping_passes_over_a_pending_question(round_, organiser):
    skipped = live_services.skip_question(round_=round_, actor=organiser, now=at(5))
    assert (skipped.live_question_index, skipped.live_question_state) == (1, "pending")
    assert AuditLog.objects.filter(action="live.skip_question").exists()


def test_in_captain_play_only_the_captain_answers_for_the_team(edition, organiser, unit):
    team = factories.make_team(edition=edition, unit=unit, name="Đội Hoàn Kiếm")
    captain = factories.make_contestant(edition=edition, unit=unit, full_name="An", team=team)
    member = factories.make_contestant(edition=edition, unit=unit, full_name="Bình", team=team)
    Team.objects.filter(pk=team.pk).update(captain=captain)
    round_ = live_round(edition, organiser, now=at(0), live_team_play=Round.LiveTeamPlay.CAPTAIN)
    enter_all(round_, [captain, member], now=at(1))
    live_services.open_question(round_=fresh(round_), actor=organiser, now=at(10))
    assert answer(round_, member, "a", when=at(11)).reason == "not_captain"
    assert answer(round_, captain, "a", when=at(12)).ok
    assert live_services.close_if_all_answered(round_id=round_.pk, now=at(12))  # only captains count
    rows = live_selectors.leaderboard(fresh(round_))
    assert [(row["name"], row["score"]) for row in rows] == [("Đội Hoàn Kiếm", "10.00")]


def test_in_mean_play_the_team_scores_its_members_mean(edition, organiser, unit):
    team = factories.make_team(edition=edition, unit=unit, name="Đội Hoàn Kiếm")
    members = [
        factories.make_contestant(edition=edition, unit=unit, full_name=name, team=team) for name in "ABC"
    ]
    round_ = live_round(edition, organiser, now=at(0), live_team_play=Round.LiveTeamPlay.MEAN)
    enter_all(round_, members, now=at(1))
    live_services.open_question(round_=fresh(round_), actor=organiser, now=at(10))
    for member, choice in zip(members, "aab", strict=True):
        assert answer(round_, member, choice, when=at(11)).ok
    assert live_selectors.leaderboard(fresh(round_))[0]["score"] == "6.67"


def test_the_last_question_cannot_be_followed_by_another(round_, organiser):
    current = round_
    for start in (10, 40, 70):
        current = live_services.open_question(round_=fresh(current), actor=organiser, now=at(start))
        current = live_services.close_question(round_=current, actor=organiser, now=at(start + 1))
        current = live_services.reveal(round_=current, actor=organiser, now=at(start + 2))
        if start < 70:
            current = live_services.next_question(round_=current, actor=organiser, now=at(start + 3))
    with pytest.raises(NotAllowed):
        live_services.next_question(round_=current, actor=organiser, now=at(80))
    ended = round_services.close_round(round_=current, actor=organiser, now=at(81))
    picture = live_selectors.live_picture(ended, now=at(81) + timedelta(seconds=1))
    assert picture["state"] == "ended" and picture["question"] is None and len(picture["leaderboard"]) == 2


def test_after_a_reveal_the_phones_share_one_ranking(
    round_, organiser, contestant, other_contestant, django_assert_max_num_queries
):
    live_services.open_question(round_=round_, actor=organiser, now=at(10))
    answer(round_, contestant, "a", when=at(11))
    answer(round_, other_contestant, "b", when=at(12))
    closed = live_services.close_question(round_=fresh(round_), actor=organiser, now=at(13))
    revealed = live_services.reveal(round_=closed, actor=organiser, now=at(14))
    first = live_selectors.contestant_results(revealed, [contestant])[contestant.pk]
    with django_assert_max_num_queries(3):  # fingerprint, attempt, answer: no ranking again
        second = live_selectors.contestant_results(revealed, [other_contestant])[other_contestant.pk]
    assert (first["rank"], first["points"], second["rank"], second["correct"]) == (1, "10.00", 2, False)


def test_every_phone_s_result_of_a_reveal_is_read_in_one_batch(
    round_, organiser, contestant, other_contestant, django_assert_max_num_queries
):
    live_services.open_question(round_=round_, actor=organiser, now=at(10))
    answer(round_, contestant, "a", when=at(11))
    closed = live_services.close_question(round_=fresh(round_), actor=organiser, now=at(13))
    revealed = live_services.reveal(round_=closed, actor=organiser, now=at(14))
    one_by_one = [
        live_selectors.contestant_results(revealed, [c])[c.pk] for c in (contestant, other_contestant)
    ]
    live_selectors._rankings.clear()
    # The round, its attempts, the answers, the ranking's fingerprint and the ranking itself:
    # the same count for two phones as for two thousand.
    with django_assert_max_num_queries(8):
        together = live_selectors.results_for(
            [(round_.pk, contestant), (round_.pk, other_contestant)], now=at(15)
        )
    assert together == one_by_one
    assert together[0]["answered"] and not together[1]["answered"] and together[1]["points"] == "0.00"


def test_a_key_fix_regrades_live_answers_with_their_speed_and_recounted_streaks(
    edition, organiser, contestant, head_judge
):
    from contest.services import keyfixes

    round_ = live_round(
        edition, organiser, now=at(0), live_scoring=Round.LiveScoring.SPEED, live_streak_bonus=True
    )
    enter_all(round_, [contestant], now=at(1))
    # Question 1 in 2 s of 20 (speed 95 %) with "b", wrong by the key; question 2 right in 10 s.
    for index, (start, choice, thinking) in enumerate(((10, "b", 2), (40, "a", 10))):
        live_services.open_question(round_=fresh(round_), actor=organiser, now=at(start))
        answer(round_, contestant, choice, when=at(start + thinking), sent_at=at(start))
        closed = live_services.close_question(round_=fresh(round_), actor=organiser, now=at(start + 21))
        revealed = live_services.reveal(round_=closed, actor=organiser, now=at(start + 22))
        if index == 0:
            live_services.next_question(round_=revealed, actor=organiser, now=at(start + 23))
    attempt = Attempt.objects.get(registration=contestant)
    assert attempt.score == Decimal("7.50")  # 0 + 75 % of 10, no streak before it
    assert attempt.max_score == Decimal("33.00")  # 10 + 11 + 12: the best streaks counted
    ended = round_services.close_round(round_=fresh(round_), actor=organiser, now=at(70))
    version_id = attempt.paper["slots"][0]["version_id"]
    keyfixes.fix_key(
        round_=ended, version_id=version_id, kind="correct", key=["b"],
        reason="Đáp án đúng là b", actor=head_judge, now=at(80), apply=True,
    )  # fmt: skip
    attempt.refresh_from_db()
    # Question 1 is now right at its 95 %; question 2 now follows a right answer: 75 % + 10 %.
    assert attempt.score == Decimal("9.50") + Decimal("8.50")
    assert attempt.max_score == Decimal("33.00")
