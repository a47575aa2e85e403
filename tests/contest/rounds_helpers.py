"""Shared set-up for the round and attempt tests: a round with a 3-question paper."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from contest import events
from tests import factories

T0 = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def paper_for(edition, count=3):
    bank = factories.make_bank(edition=edition)
    questions = [factories.make_question(bank=bank) for _ in range(count)]
    return factories.make_paper(edition=edition, questions=questions)


def exam_round(edition, **fields):
    defaults = {"duration_seconds": 600, "opens_at": T0, "closes_at": at(3600), "grace_seconds": 3.0}
    return factories.make_round(edition=edition, paper=paper_for(edition), **{**defaults, **fields})


def correct_choice(attempt, slot: int) -> str:
    """The right option id for a slot (the factories' questions: option "a" is right)."""
    return "a"


@contextmanager
def published_events(capture_on_commit):
    """Events published by the block, after its on-commit callbacks ran (pytest-django's
    ``django_capture_on_commit_callbacks`` is passed in: tests run inside a transaction)."""
    with events.capture() as recorded, capture_on_commit(execute=True):
        yield recorded


def started_now(edition, organiser, **fields):
    """A round started at the real current time, its window around it: sockets and servers
    read the real clock, so their rounds cannot use the fixed T0 of the service tests."""
    from django.utils import timezone

    from contest.services import rounds

    now = timezone.now()
    fields = {"opens_at": now - timedelta(minutes=1), "closes_at": now + timedelta(hours=1), **fields}
    return rounds.start_round(round_=exam_round(edition, **fields), actor=organiser, now=now)


def monitor_rows(frame: dict) -> list[dict]:
    """The monitor's contestants as one dict each (the frame sends columns and rows)."""
    return [dict(zip(frame["columns"], values, strict=True)) for values in frame["rows"]]
