"""Ranking, prize and projector pages: who may open them, what they show, one audited call
per POST."""

import pytest
from django.urls import reverse

from contest.models import AuditLog, RoundBoard
from contest.services import scoring
from tests.contest.rounds_helpers import at
from tests.contest.scoring_helpers import answer_all, contestants, started_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(edition, organiser):
    round_ = started_round(edition, organiser)
    people = contestants(edition, 3, names={0: "Phạm Thị Lan", 1: "Đỗ Văn Nam", 2: "Lê Minh"})
    answer_all(round_, people[0], ["a", "a"])
    answer_all(round_, people[1], ["a", "a"])
    answer_all(round_, people[2], ["a"])
    return round_, people


def test_the_round_ranking_explains_why_each_row_is_above_the_next(client, edition, organiser, ranked):
    round_, _people = ranked
    client.force_login(organiser)
    page = client.get(reverse("round_ranking", args=[edition.slug, round_.slug])).content.decode()
    # Lan and Nam tie and are listed by given name (Vietnamese order): Lan before Nam.
    assert page.index("Phạm Thị Lan") < page.index("Đỗ Văn Nam") < page.index("Lê Minh")
    assert "Bằng nhau theo mọi tiêu chí: đồng hạng." in page
    assert "Điểm cao hơn (2.00 so với 1.00)." in page


def test_contestants_get_403_on_rankings_and_prizes(client, edition, contestant, ranked):
    round_, _people = ranked
    client.force_login(contestant.person.user)
    assert client.get(reverse("round_ranking", args=[edition.slug, round_.slug])).status_code == 403
    assert client.get(reverse("edition_ranking", args=[edition.slug])).status_code == 403
    assert client.get(reverse("prizes", args=[edition.slug])).status_code == 403


def test_judges_read_rankings_but_cannot_change_board_settings(client, edition, judge, ranked):
    round_, _people = ranked
    client.force_login(judge)
    url = reverse("round_ranking", args=[edition.slug, round_.slug])
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "configure", "visibility": "public"}).status_code == 403
    assert not AuditLog.objects.filter(action="board.configured").exists()


def test_an_organiser_makes_the_board_public_and_the_link_needs_no_login(client, edition, organiser, ranked):
    round_, _people = ranked
    client.force_login(organiser)
    url = reverse("round_ranking", args=[edition.slug, round_.slug])
    response = client.post(
        url,
        {
            "action": "configure",
            "visibility": "public",
            "freeze_minutes": "5",
            "weight": "1",
            "chain_preset": "score,time_used,submitted_at",
        },
    )
    assert response.status_code == 302 and AuditLog.objects.filter(action="board.configured").count() == 1
    assert RoundBoard.objects.get(round=round_).tie_break_chain == ["score", "time_used", "submitted_at"]
    token = RoundBoard.objects.get(round=round_).public_token
    client.logout()
    page = client.get(reverse("public_board", args=[token]))
    assert page.status_code == 200 and f"/ws/boards/{token}/?view=individual" in page.content.decode()
    assert client.get(reverse("public_board", args=["khong-dung"])).status_code == 404


def test_a_bad_truth_is_refused_with_a_message_and_changes_nothing(client, edition, organiser, ranked):
    round_, _people = ranked
    client.force_login(organiser)
    url = reverse("round_ranking", args=[edition.slug, round_.slug])
    page = client.post(url, {"action": "truth", "truth": "mười"}, follow=True).content.decode()
    assert "Đáp số câu dự đoán phải là một số." in page
    assert not AuditLog.objects.filter(action__startswith="board.prediction").exists()


def test_the_prizes_page_shows_a_boundary_tie_to_decide(client, edition, organiser, ranked):
    client.force_login(organiser)
    scoring.configure_edition_scoring(
        edition=edition, team_method="sum", team_best_k=None, individual_quotas={"first": 1},
        team_quotas={}, actor=organiser, now=at(90),
    )  # fmt: skip
    page = client.get(reverse("prizes", args=[edition.slug])).content.decode()
    assert "Cần quyết định:" in page and "Đỗ Văn Nam" in page and "Phạm Thị Lan" in page


def test_the_edition_ranking_lists_individuals_teams_and_units(client, edition, organiser, ranked):
    client.force_login(organiser)
    page = client.get(reverse("edition_ranking", args=[edition.slug])).content.decode()
    assert "Xếp hạng toàn kỳ" in page and "Lê Minh" in page and "Tỷ lệ tham gia (%)" in page


def test_a_contestant_opens_the_board_page_of_their_edition(client, edition, contestant, ranked):
    round_, _people = ranked
    client.force_login(contestant.person.user)
    assert client.get(reverse("round_board", args=[edition.slug, round_.slug])).status_code == 200


def test_advancement_per_unit_shows_each_units_top_and_confirms_the_chosen_list(
    client, edition, organiser, ranked
):
    from tests import factories

    round_, people = ranked
    final = factories.make_round(edition=edition, name="Chung kết")
    client.force_login(organiser)
    url = reverse("round_ranking", args=[edition.slug, round_.slug])
    page = client.get(url, {"top": "1", "group": "unit"}).content.decode()
    assert "Đồng hạng tại ranh giới" in page  # Lan and Nam share first place in their unit
    response = client.post(
        url, {"action": "advance", "to_round": final.pk, "registration": [people[0].pk, people[1].pk]}
    )
    assert response.status_code == 302
    assert set(final.entry_registrations.values_list("pk", flat=True)) == {people[0].pk, people[1].pk}
    assert AuditLog.objects.filter(action="round.advancement_confirmed").count() == 1
