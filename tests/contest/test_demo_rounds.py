"""The demo rounds: ready to start on the demo bank, and idempotent."""

import pytest
from django.utils import timezone

from contest.demo.rounds import seed_demo_round
from contest.models import Attempt, Round
from contest.services import entry, rounds
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_demo_round_starts_and_a_contestant_can_enter(edition, organiser, contestant):
    bank = factories.make_bank(edition=edition)
    for _ in range(25):
        factories.make_question(bank=bank)
    first = seed_demo_round(edition, bank)
    assert seed_demo_round(edition, bank) == first
    qualifier = first[0]
    assert qualifier.state == Round.State.DRAFT and qualifier.paper.items.count() == 20
    now = timezone.now()
    started = rounds.start_round(round_=qualifier, actor=organiser, now=now)
    attempt = entry.enter_round(round_=started, registration=contestant, now=now)
    assert attempt.state == Attempt.State.IN_PROGRESS and len(attempt.paper["slots"]) == 20
