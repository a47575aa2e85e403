"""Data for the judging browser test, written into a running server's database (run as a module
with the server's environment, like tests/browser/scoreboard_data.py).

``build``: a closed round of three single-choice questions and one essay (5 points) that three
contestants answered; a head judge whose one signature locks the round. ``ids``: what the test
needs, as JSON.
"""

import json
import sys

HEAD_JUDGE = "truonggk"
PASSWORD = "matkhau-thu-1"  # tests.factories.make_user's default
NAMES = {0: "Phạm Thị Lan", 1: "Đỗ Văn Nam", 2: "Lê Thị Hoa"}


def build() -> None:
    from contest.models import RoleGrant
    from contest.services import judging
    from tests import factories
    from tests.contest.judging_helpers import judged_round
    from tests.contest.rounds_helpers import at

    edition = factories.make_edition(slug="hoithi-2026", name="Hội thi 2026")
    organiser = factories.make_user(username="btc1", password=PASSWORD)
    factories.grant(user=organiser, edition=edition, role=RoleGrant.Role.ORGANISER)
    head = factories.make_user(
        username=HEAD_JUDGE, password=PASSWORD, first_name="Minh", last_name="Trần Văn"
    )
    factories.grant(user=head, edition=edition, role=RoleGrant.Role.JUDGE, head=True)
    setup = judged_round(edition, organiser, [["a", "a", "a"], ["a", "a", "b"], ["b", "b", "b"]], names=NAMES)
    judging.configure_judging(round_=setup.round, values={"required_signers": 1}, actor=head, now=at(800))


def ids() -> dict:
    from contest.models import Attempt, Round

    round_ = Round.objects.select_related("edition").get()
    attempts = Attempt.objects.filter(round=round_).select_related("registration__person__user")
    people = {}
    for attempt in attempts:
        essay = next(s["slot"] for s in attempt.paper["slots"] if s["qtype"] == "essay")
        first_single = next(s["slot"] for s in attempt.paper["slots"] if s["qtype"] == "single")
        people[attempt.registration.person.full_name] = {
            "attempt": attempt.pk,
            "registration": attempt.registration_id,
            "username": attempt.registration.person.user.username,
            "essay": essay,
            "single": first_single,
        }
    return {"edition": round_.edition.slug, "round_slug": round_.slug, "password": PASSWORD, "people": people}


def main() -> None:
    import django

    django.setup()
    if sys.argv[1] == "build":
        build()
    else:
        print(json.dumps(ids()))


if __name__ == "__main__":
    main()
