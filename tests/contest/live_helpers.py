"""Set-up for live-round tests: a started live round on a 3-question paper in fixed order
(option "a" right, 10 points each), its contestants entered."""

from contest.models import Attempt, Round
from contest.services import entry
from contest.services import rounds as round_services
from tests import factories


def live_paper(edition, count=3):
    bank = factories.make_bank(edition=edition)
    questions = [factories.make_question(bank=bank, points="10") for _ in range(count)]
    return factories.make_paper(edition=edition, questions=questions, shuffle=False)


def live_round(edition, organiser, *, now, **fields):
    defaults = {"mode": Round.Mode.LIVE, "grace_seconds": 1.0, "live_question_seconds": 20}
    round_ = factories.make_round(edition=edition, paper=live_paper(edition), **{**defaults, **fields})
    return round_services.start_round(round_=round_, actor=organiser, now=now)


def enter_all(round_, registrations, *, now, connected=True):
    """Enter each contestant; ``connected`` marks a socket open (as a phone's would)."""
    for registration in registrations:
        attempt = entry.enter_round(round_=round_, registration=registration, now=now)
        if connected:
            Attempt.objects.filter(pk=attempt.pk).update(connection_id=f"c{registration.pk}")


def fresh(round_):
    return Round.objects.get(pk=round_.pk)


def answer_live(round_, registration, choices, *, now):
    """Enter and answer question i with choices[i], opening each question directly on the
    row (a shortcut for tests about what happens to scores, not about the host's commands)."""
    from datetime import timedelta

    from contest.services.answers import AnswerIn, save_answers

    entry.enter_round(round_=round_, registration=registration, now=now)
    results = []
    for slot, choice in enumerate(choices):
        Round.objects.filter(pk=round_.pk).update(
            live_question_index=slot,
            live_question_state="open",
            live_question_opened_at=now,
            live_question_deadline=now + timedelta(minutes=5),
        )
        item = AnswerIn(
            round_id=round_.pk,
            registration_id=registration.pk,
            client_message_id=f"{registration.pk}-{slot}-{choice}",
            slot=slot,
            base=0,
            response={"choice": choice},
            received_at=now,
        )
        results += save_answers([item], now=now)
    return results
