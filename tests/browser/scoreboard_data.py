"""Data for the scoreboard browser test, written into a running server's database (see
tests/browser/exam_round_data.py for why it is a module run with the server's environment).

``build``: a live-mode round, open, with a public board that freezes for the last minute
before the close, three units with colours and four contestants (one of whom did not agree
to be named on public boards). ``open_question <slot>``: open that question of the live round
(answers are taken only for it). ``close_in <seconds>``: move
the round's close so that the freeze begins in ``seconds - 60`` seconds. ``ids``: what the
test needs, as JSON.
"""

import json
import sys
from datetime import timedelta

ROUND_SLUG = "chung-ket"
ORGANISER = "btc1"
PASSWORD = "matkhau-thu-1"  # tests.factories.make_user's default
NO_CONSENT = "ts3"
PEOPLE = [
    ("ts1", "Phạm Thị Lan", "QHK"),
    ("ts2", "Đỗ Văn Nam", "QBD"),
    ("ts3", "Nguyễn Thu Hà", "QDD"),
    ("ts4", "Trần Quốc Bảo", "QHK"),
]
UNITS = {
    "QHK": ("LĐLĐ quận Hoàn Kiếm", "#c0392b"),
    "QBD": ("LĐLĐ quận Ba Đình", "#2874a6"),
    "QDD": ("LĐLĐ quận Đống Đa", "#229954"),
}


def build() -> None:
    from django.utils import timezone

    from contest.models import Person, RoleGrant
    from contest.services import rounds as round_services
    from contest.services import scoring
    from tests import factories

    edition = factories.make_edition(slug="hoithi-2026", name="Hội thi 2026")
    units = {
        code: factories.make_unit(edition=edition, code=code, name=name, short_name=name, color=color)
        for code, (name, color) in UNITS.items()
    }
    organiser = factories.make_user(username=ORGANISER, password=PASSWORD)
    factories.grant(user=organiser, edition=edition, role=RoleGrant.Role.ORGANISER)
    for code, name, unit in PEOPLE:
        registration = factories.make_contestant(edition=edition, unit=units[unit], full_name=name, code=code)
        if code != NO_CONSENT:  # everyone else agreed to be named on the public board
            Person.objects.filter(pk=registration.person_id).update(public_consent_at=timezone.now())
    bank = factories.make_bank(edition=edition)
    questions = [factories.make_question(bank=bank) for _ in range(3)]
    paper = factories.make_paper(edition=edition, questions=questions, shuffle=False)
    now = timezone.now()
    round_ = factories.make_round(
        edition=edition,
        paper=paper,
        slug=ROUND_SLUG,
        name="Chung kết",
        mode="live",
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(hours=2),
    )
    round_ = round_services.start_round(round_=round_, actor=organiser, now=now)
    scoring.configure_board(
        round_=round_,
        visibility="public",
        freeze_minutes=1,
        weight="1",
        chain=["score"],
        actor=organiser,
        now=now,
    )


def close_in(seconds: int) -> None:
    from django.utils import timezone

    from contest.models import Round

    Round.objects.filter(slug=ROUND_SLUG).update(closes_at=timezone.now() + timedelta(seconds=seconds))


def open_question(slot: int) -> None:
    """Make question ``slot`` the open one, as the host's ``open_question`` would (a live round
    takes answers only to its open question); each call is a new opening."""
    from django.utils import timezone

    from contest.models import Round

    now = timezone.now()
    Round.objects.filter(slug=ROUND_SLUG).update(
        live_question_index=slot,
        live_question_state="open",
        live_question_opened_at=now,
        live_question_deadline=now + timedelta(minutes=10),
    )


def ids() -> dict:
    from contest.models import Round

    round_ = Round.objects.select_related("edition", "board").get(slug=ROUND_SLUG)
    return {
        "edition": round_.edition.slug,
        "round_id": round_.pk,
        "round_slug": round_.slug,
        "token": round_.board.public_token,
        "password": PASSWORD,
        "organiser": ORGANISER,
        "registrations": dict(round_.edition.registrations.values_list("code", "pk")),
    }


def main() -> None:
    import django

    django.setup()
    command = sys.argv[1]
    if command == "build":
        build()
    elif command == "close_in":
        close_in(int(sys.argv[2]))
    elif command == "open_question":
        open_question(int(sys.argv[2]))
    else:
        print(json.dumps(ids()))


if __name__ == "__main__":
    main()
