import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_is_vietnamese_and_links_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="vi"' in body
    assert reverse("login") in body
    assert "Đăng nhập" in body


def test_a_contestant_gets_403_on_organiser_pages(client, edition, contestant):
    client.force_login(contestant.person.user)
    response = client.get(reverse("edition_overview", args=[edition.slug]))
    assert response.status_code == 403


def test_an_organiser_sees_the_edition_overview(client, edition, organiser):
    client.force_login(organiser)
    response = client.get(reverse("edition_overview", args=[edition.slug]))
    assert response.status_code == 200
    assert edition.name in response.content.decode()


def test_an_organiser_of_another_edition_gets_403(client, organiser):
    from tests.factories import make_edition

    other = make_edition()
    client.force_login(organiser)
    assert client.get(reverse("edition_overview", args=[other.slug])).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, edition):
    response = client.get(reverse("edition_overview", args=[edition.slug]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_english_is_available_through_the_switcher(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in body
    assert "Log in" in body
