"""Data for the file-answer browser test, written into a running server's database (see
tests/browser/exam_round_data.py for why it is a module run with the server's environment).

``build``: an open personal-timer round whose only question asks for a .docx or .pdf file;
``ids``: the ids and logins; ``attempt``: the contestant's attempt id once entered.
"""

import json
import sys
from datetime import timedelta

ROUND_SLUG = "bai-thuc-hanh"
PASSWORD = "matkhau-thu-1"  # tests.factories.make_user's default


def build() -> None:
    from django.utils import timezone

    from contest.models import RoleGrant, Round
    from contest.services.rounds import start_round
    from tests import factories

    edition = factories.make_edition(slug="hoithi-2026", name="Hội thi 2026")
    unit = factories.make_unit(edition=edition, code="QHK", name="LĐLĐ quận Hoàn Kiếm")
    organiser = factories.make_user(username="btc1", password=PASSWORD)
    factories.grant(user=organiser, edition=edition, role=RoleGrant.Role.ORGANISER)
    judge = factories.make_user(username="gk1", password=PASSWORD)
    factories.grant(user=judge, edition=edition, role=RoleGrant.Role.JUDGE)
    factories.make_contestant(edition=edition, unit=unit, full_name="Phạm Thị Lan", code="ts1")
    bank = factories.make_bank(edition=edition)
    question = factories.make_question(
        bank=bank, qtype="file", definition={"accept": [".docx", ".pdf"], "max_bytes": 2 * 1024 * 1024}
    )
    paper = factories.make_paper(edition=edition, questions=[question], shuffle=False)
    now = timezone.now()
    round_ = Round.objects.create(
        edition=edition,
        slug=ROUND_SLUG,
        name="Bài thực hành",
        paper=paper,
        state=Round.State.SCHEDULED,
        timing=Round.Timing.PERSONAL,
        duration_seconds=1800,
        closes_at=now + timedelta(hours=2),
    )
    start_round(round_=round_, actor=organiser, now=now)


def ids() -> dict:
    from contest.models import Registration, Round

    round_ = Round.objects.select_related("edition").get(slug=ROUND_SLUG)
    contestant = Registration.objects.get(code="ts1")
    return {
        "edition": round_.edition.slug,
        "round_id": round_.pk,
        "round_slug": round_.slug,
        "password": PASSWORD,
        "judge": "gk1",
        "contestant": contestant.person.user.username,
    }


def attempt() -> dict:
    from contest.models import Attempt

    found = Attempt.objects.get(round__slug=ROUND_SLUG)
    return {"id": found.pk, "answers": list(found.revisions.values_list("response", flat=True))}


def main() -> None:
    import django

    django.setup()
    print(json.dumps({"build": build, "ids": ids, "attempt": attempt}[sys.argv[1]]() or {}))


if __name__ == "__main__":
    main()
