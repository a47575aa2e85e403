"""The results JSON API: session or personal token, per-edition permissions, the schema."""

import json
from pathlib import Path

import pytest
from django.urls import reverse
from jsonschema import Draft202012Validator

from contest.models import ApiToken, AuditLog, RoleGrant
from contest.services import api_tokens
from tests import factories
from tests.contest.exporters.export_helpers import NOW, finished_edition

pytestmark = pytest.mark.django_db
SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "results.schema.json").read_text())


@pytest.fixture
def scenario(edition, organiser):
    return finished_edition(edition, organiser)


@pytest.fixture
def url(scenario):
    return reverse("results_api", args=[scenario.edition.slug])


def bearer(user, name="script"):
    _token, raw = api_tokens.create_token(user=user, name=name, now=NOW)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_it_answers_401_without_a_session_or_token(client, url):
    response = client.get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert client.get(url, HTTP_AUTHORIZATION="Bearer hoithi_not-a-token").status_code == 401


def test_it_serves_the_schema_valid_json_to_a_judge_with_a_token(client, url, judge):
    response = client.get(url, **bearer(judge))
    assert response.status_code == 200
    document = response.json()
    Draft202012Validator(SCHEMA).validate(document)
    assert document["schema_version"] == "1.0"
    assert [c["full_name"] for c in document["contestants"]][:2] == ["Nguyễn Thị Quỳnh Hương", "Đỗ Văn Nam"]
    assert AuditLog.objects.filter(action="results.exported", actor_id=judge.pk).count() == 1
    assert ApiToken.objects.get(user=judge).last_used_at is not None


def test_an_organiser_session_reads_one_round(client, url, organiser, scenario):
    client.force_login(organiser)
    response = client.get(url, {"round": scenario.round.slug})
    assert response.status_code == 200
    assert [r["slug"] for r in response.json()["rounds"]] == ["vong-1"]
    assert client.get(url, {"round": scenario.practice.slug}).status_code == 404


def test_contestants_and_other_editions_staff_get_403(client, url, scenario):
    contestant_user = scenario.people[0].person.user
    assert client.get(url, **bearer_for_anyone(contestant_user)).status_code == 403
    other = factories.make_edition()
    stranger = factories.make_user()
    factories.grant(user=stranger, edition=other, role=RoleGrant.Role.ORGANISER)
    assert client.get(url, **bearer(stranger)).status_code == 403
    client.force_login(contestant_user)
    assert client.get(url).status_code == 403


def bearer_for_anyone(user):
    """A token row made directly: contestants cannot create one through the page."""
    raw = api_tokens.new_raw_token()
    from contest.models.api_tokens import hash_token

    ApiToken.objects.create(user=user, name="x", token_hash=hash_token(raw), hint=raw[:11], created_at=NOW)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_revoked_token_no_longer_works(client, url, judge):
    headers = bearer(judge)
    token = ApiToken.objects.get(user=judge)
    api_tokens.revoke_token(token=token, actor=judge, now=NOW)
    assert client.get(url, **headers).status_code == 401
    assert AuditLog.objects.filter(action="api_token.revoked").count() == 1


def test_the_tokens_page_shows_a_new_token_once_and_stores_only_its_hash(client, organiser):
    client.force_login(organiser)
    response = client.post(reverse("api_tokens"), {"action": "create", "name": "Máy chủ báo cáo"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=organiser)
    raw = response.context["created"]
    assert raw.startswith("hoithi_") and raw not in token.token_hash and raw.encode() in response.content
    assert response["Cache-Control"] == "no-store"
    again = client.get(reverse("api_tokens"))
    assert (
        raw.encode() not in again.content
        and b"M\xc3\xa1y ch\xe1\xbb\xa7 b\xc3\xa1o c\xc3\xa1o" in again.content
    )
    client.post(reverse("api_tokens"), {"action": "revoke", "token": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_contestants_cannot_open_the_tokens_page(client, contestant):
    client.force_login(contestant.person.user)
    assert client.get(reverse("api_tokens")).status_code == 403


def test_nobody_revokes_someone_elses_token(client, organiser, judge):
    api_tokens.create_token(user=judge, name="gk", now=NOW)
    token = ApiToken.objects.get(user=judge)
    client.force_login(organiser)
    assert client.post(reverse("api_tokens"), {"action": "revoke", "token": token.pk}).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
