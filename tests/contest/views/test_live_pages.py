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
