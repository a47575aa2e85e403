"""Who may open which screen of a live round."""

import json

import pytest
from django.urls import reverse

from contest.models import Round
from tests import factories
from tests.contest.live_helpers import live_paper

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(edition):
    return factories.make_round(
        edition=edition, paper=live_paper(edition), mode=Round.Mode.LIVE, slug="chung-ket"
    )


def pages(round_):
    slug = round_.edition.slug
    return {
        "play": reverse("live_play", args=[slug, round_.pk]),
        "host": reverse("live_host", args=[slug, round_.slug]),
        "screen": reverse("live_screen", args=[slug, round_.slug]),
    }


def status(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


def test_each_screen_opens_for_its_people_only(client, round_, organiser, judge, contestant):
    urls = pages(round_)
    assert status(client, contestant.person.user, urls["play"]) == 200
    assert status(client, contestant.person.user, urls["host"]) == 403
    assert status(client, contestant.person.user, urls["screen"]) == 403
    assert status(client, organiser, urls["host"]) == 200
    assert status(client, organiser, urls["screen"]) == 200
    assert status(client, judge, urls["screen"]) == 200
    assert status(client, judge, urls["host"]) == 403
    assert status(client, organiser, urls["play"]) == 403


def test_the_screens_carry_their_socket_and_labels_and_no_inline_script(client, round_, organiser):
    client.force_login(organiser)
    html = client.get(pages(round_)["host"]).content.decode()
    config = json.loads(
        html.split('id="live-config" type="application/json">', 1)[1].split("</script>", 1)[0]
    )
    assert config["wsPath"] == f"/ws/rounds/{round_.pk}/control/"
    assert config["labels"]["actions"]["open_question"] == "Mở câu hỏi"
    assert "onclick" not in html and "<script>" not in html


def test_an_exam_round_has_no_live_screens(client, edition, organiser):
    exam = factories.make_round(edition=edition, slug="vong-loai")
    client.force_login(organiser)
    assert client.get(reverse("live_host", args=[edition.slug, exam.slug])).status_code == 404


def test_the_round_list_and_the_dashboard_lead_to_the_live_screens(client, round_, organiser, contestant):
    urls = pages(round_)
    client.force_login(organiser)
    listing = client.get(reverse("round_list", args=[round_.edition.slug])).content.decode()
    assert urls["host"] in listing and urls["screen"] in listing
    Round.objects.filter(pk=round_.pk).update(state=Round.State.OPEN)
    client.force_login(contestant.person.user)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert urls["play"] in dashboard


LIVE_FORM = {
    "name": "Chung kết",
    "slug": "chung-ket-2",
    "mode": "live",
    "timing": "personal",
    "late_entry": "full",
    "late_entry_minutes": "0",
    "attempts_allowed": "1",
    "counts": "best",
    "grace_seconds": "1",
    "live_scoring": "speed",
    "live_team_play": "mean",
    "live_question_seconds": "20",
    "live_streak_bonus": "on",
}


def test_the_round_form_sets_the_live_options(client, edition, organiser):
    client.force_login(organiser)
    response = client.post(reverse("round_create", args=[edition.slug]), LIVE_FORM)
    assert response.status_code == 302
    round_ = Round.objects.get(slug="chung-ket-2")
    assert (round_.mode, round_.live_scoring, round_.live_team_play) == ("live", "speed", "mean")
    assert (round_.live_question_seconds, round_.live_streak_bonus) == (20, True)


def test_the_round_form_refuses_a_question_time_out_of_range(client, edition, organiser):
    client.force_login(organiser)
    response = client.post(
        reverse("round_create", args=[edition.slug]), {**LIVE_FORM, "live_question_seconds": "2"}
    )
    assert response.status_code == 200 and "Thời gian mỗi câu từ 5 đến 600 giây." in response.content.decode()
    assert not Round.objects.filter(slug="chung-ket-2").exists()
