"""Shared set-up for the scoring tests: a started round, contestants entering and answering."""

from contest.services import answers
from contest.services import rounds as round_services
from tests import factories
from tests.contest.rounds_helpers import at, exam_round

try:
    from contest.services.entry import enter_round
except ImportError:  # the rounds engineer is moving entry into its own module
    from contest.services.attempts import enter_round


def started_round(edition, organiser, **fields):
    return round_services.start_round(round_=exam_round(edition, **fields), actor=organiser, now=at(0))


def contestants(edition, count, *, unit=None, team=None, names=None):
    unit = unit or factories.make_unit(edition=edition)
    return [
        factories.make_contestant(edition=edition, unit=unit, team=team, full_name=(names or {}).get(i))
        for i in range(count)
    ]


def answer_all(round_, registration, choices, *, now=None, enter_at=None):
    """Enter (at ``enter_at``) and answer slot i with choices[i] ("a" is always right)."""
    enter_round(round_=round_, registration=registration, now=enter_at or at(5))
    items = [
        answers.AnswerIn(
            round_id=round_.pk,
            registration_id=registration.pk,
            client_message_id=f"{registration.pk}-{slot}-{choice}",
            slot=slot,
            base=0,
            response={"choice": choice},
            received_at=now or at(20),
        )
        for slot, choice in enumerate(choices)
    ]
    return answers.save_answers(items, now=now or at(20))
