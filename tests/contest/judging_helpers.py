"""Shared set-up for the judging tests: a closed round with three single-choice questions
(option "a" right, 1 point each) and one essay (5 points), contestants who answered."""

from dataclasses import dataclass

from contest.models import Attempt, RoleGrant, Round
from contest.services import answers
from contest.services import rounds as round_services
from contest.services.entry import enter_round
from tests import factories
from tests.contest.rounds_helpers import T0, at

ESSAY = {"min_words": None, "max_words": None}


@dataclass
class JudgedRound:
    round: Round
    questions: list
    registrations: list

    def attempt(self, index: int) -> Attempt:
        return Attempt.objects.get(round=self.round, registration=self.registrations[index])

    def slot_of(self, attempt: Attempt, question) -> int:
        return next(s["slot"] for s in attempt.paper["slots"] if s["question_id"] == question.pk)

    @property
    def essay(self):
        return self.questions[-1]


def judged_round(edition, organiser, choices, *, names=None, close=True) -> JudgedRound:
    """``choices``: per contestant, the options chosen for the three single questions
    (None: no answer); every contestant writes an essay."""
    bank = factories.make_bank(edition=edition)
    questions = [factories.make_question(bank=bank) for _ in range(3)]
    questions.append(factories.make_question(bank=bank, qtype="essay", definition=ESSAY, points="5"))
    paper = factories.make_paper(edition=edition, questions=questions)
    round_ = factories.make_round(
        edition=edition, paper=paper, duration_seconds=600, opens_at=T0, closes_at=at(3600), grace_seconds=3.0
    )
    round_ = round_services.start_round(round_=round_, actor=organiser, now=at(0))
    unit = factories.make_unit(edition=edition)
    registrations = [
        factories.make_contestant(edition=edition, unit=unit, full_name=(names or {}).get(i))
        for i in range(len(choices))
    ]
    for registration, picks in zip(registrations, choices, strict=True):
        enter_round(round_=round_, registration=registration, now=at(5))
        attempt = Attempt.objects.get(round=round_, registration=registration)
        slots = {s["question_id"]: s["slot"] for s in attempt.paper["slots"]}
        responses = [(slots[q.pk], {"choice": c}) for q, c in zip(questions, picks, strict=False) if c]
        responses.append((slots[questions[-1].pk], {"text": "Công đoàn bảo vệ quyền lợi người lao động."}))
        answers.save_answers(
            [
                answers.AnswerIn(
                    round_id=round_.pk,
                    registration_id=registration.pk,
                    client_message_id=f"{registration.pk}-{slot}",
                    slot=slot,
                    base=0,
                    response=response,
                    received_at=at(20),
                )
                for slot, response in responses
            ],
            now=at(20),
        )
    if close:
        round_ = round_services.close_round(round_=round_, actor=organiser, now=at(700))
    return JudgedRound(round_, questions, registrations)


def make_judge(edition, username, *, head=False):
    user = factories.make_user(username=username)
    factories.grant(user=user, edition=edition, role=RoleGrant.Role.JUDGE, head=head)
    return user
