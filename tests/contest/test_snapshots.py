"""Reads for sockets: who may enter, and the monitor's shape."""

import pytest
from django.utils import timezone

from contest.services import rounds
from contest.snapshots import eligible_registrations, is_eligible, monitor, progress
from tests import factories
from tests.contest.rounds_helpers import at, exam_round, monitor_rows

pytestmark = pytest.mark.django_db


def test_a_round_without_entry_lists_is_open_to_every_registration(edition, contestant):
    assert is_eligible(exam_round(edition), contestant)


def test_entry_by_unit_team_or_name(edition, unit, contestant):
    other_unit = factories.make_unit(edition=edition)
    team = factories.make_team(edition=edition, unit=other_unit)
    in_team = factories.make_contestant(edition=edition, unit=other_unit, team=team)
    named = factories.make_contestant(edition=edition, unit=other_unit)
    outsider = factories.make_contestant(edition=edition, unit=other_unit)
    round_ = exam_round(edition)
    round_.entry_units.set([unit])
    round_.entry_teams.set([team])
    round_.entry_registrations.set([named])
    assert [is_eligible(round_, r) for r in (contestant, in_team, named, outsider)] == [
        True,
        True,
        True,
        False,
    ]
    assert set(eligible_registrations(round_)) == {contestant, in_team, named}


def test_a_contestant_of_another_edition_is_never_eligible(edition, contestant):
    other = factories.make_edition()
    assert not is_eligible(exam_round(other), contestant)


def test_the_monitor_counts_and_lists_every_eligible_contestant(
    edition, organiser, contestant, other_contestant
):
    round_ = rounds.start_round(round_=exam_round(edition), actor=organiser, now=timezone.now())
    frame = monitor(round_, now=timezone.now())
    assert frame["counts"] == {
        "eligible": 2,
        "not_entered": 2,
        "in_progress": 0,
        "submitted": 0,
        "connected": 0,
    }
    rows = monitor_rows(frame)
    assert [row["name"] for row in rows] == ["Phạm Thị Lan", "Đỗ Văn Nam"]
    assert rows[0]["question_count"] == 3 and rows[0]["state"] == "not_entered"
    assert progress(round_)["not_entered"] == 2


def test_the_monitor_takes_a_fixed_number_of_queries(edition, organiser, django_assert_max_num_queries):
    for _ in range(20):
        factories.make_contestant(edition=edition)
    round_ = rounds.start_round(round_=exam_round(edition), actor=organiser, now=timezone.now())
    with django_assert_max_num_queries(8):
        monitor(round_, now=timezone.now())


def test_progress_counts_each_contestant_once_by_their_latest_attempt(
    edition, organiser, contestant, other_contestant
):
    from contest.services import attempts, entry

    now = at(10)
    round_ = rounds.start_round(round_=exam_round(edition, attempts_allowed=2), actor=organiser, now=now)
    first = entry.enter_round(round_=round_, registration=contestant, now=now)
    attempts.submit_attempt(attempt=first, reason="contestant", now=now)
    entry.enter_round(round_=round_, registration=contestant, now=now)
    assert progress(round_) == {"eligible": 2, "not_entered": 1, "in_progress": 1, "submitted": 0}
