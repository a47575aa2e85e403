"""A small finished edition for the export tests: two units, a team, Vietnamese names (one of
them a would-be formula), a counted round with answers, a practice round, and prize quotas."""

from dataclasses import dataclass

from contest.models import Attempt, EditionScoring
from tests import factories
from tests.contest.rounds_helpers import at
from tests.contest.scoring_helpers import answer_all, started_round

NAMES = ("Nguyễn Thị Quỳnh Hương", "Đỗ Văn Nam", "Lê Minh Đức", '=HYPERLINK("http://x")')


@dataclass
class Scenario:
    edition: object
    round: object
    practice: object
    people: list
    units: list
    team: object


def finished_edition(edition, organiser) -> Scenario:
    ba_dinh = factories.make_unit(
        edition=edition, code="BD", name="Công đoàn quận Ba Đình", expected_headcount=4
    )
    hoan_kiem = factories.make_unit(edition=edition, code="HK", name="Công đoàn quận Hoàn Kiếm")
    team = factories.make_team(edition=edition, unit=ba_dinh, code="D1", name="Đội Ba Đình")
    people = [
        factories.make_contestant(edition=edition, unit=ba_dinh, team=team, full_name=NAMES[0], code="TS01"),
        factories.make_contestant(edition=edition, unit=ba_dinh, team=team, full_name=NAMES[1], code="TS02"),
        factories.make_contestant(edition=edition, unit=hoan_kiem, full_name=NAMES[2], code="TS03"),
        factories.make_contestant(edition=edition, unit=hoan_kiem, full_name=NAMES[3], code="TS04"),
    ]
    round_ = started_round(edition, organiser, slug="vong-1", name="Vòng sơ khảo")
    practice = started_round(edition, organiser, slug="thi-thu", name="Thi thử", is_practice=True)
    answer_all(round_, people[0], ["a", "a", "a"])
    answer_all(round_, people[1], ["a", "b", "a"])
    answer_all(round_, people[2], ["b", "b", "a"])
    answer_all(practice, people[3], ["a", "a", "a"])
    # Everyone submitted: an attempt still in progress has a time used that grows with the
    # clock, and the exports of a finished edition must be byte-stable.
    Attempt.objects.filter(round__edition=edition).exclude(state=Attempt.State.READY).update(
        state=Attempt.State.SUBMITTED, submitted_at=at(600), submit_reason=Attempt.SubmitReason.CONTESTANT
    )
    EditionScoring.objects.create(
        edition=edition, individual_quotas={"first": 1, "second": 1}, team_quotas={"first": 1}
    )
    return Scenario(edition, round_, practice, people, [ba_dinh, hoan_kiem], team)


NOW = at(3000)
