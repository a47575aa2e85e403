"""The exports page and its downloads: organisers and judges of the edition only, audited."""

import pytest
from django.urls import reverse

from contest.models import AuditLog, RoleGrant
from tests import factories
from tests.contest.exporters.export_helpers import finished_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(edition, organiser):
    return finished_edition(edition, organiser)


def test_the_page_links_every_format_for_the_edition_each_round_and_each_unit(client, judge, scenario):
    client.force_login(judge)
    page = client.get(reverse("results_exports", args=[scenario.edition.slug])).content.decode()
    for fmt in ("xlsx", "csv", "json", "pdf", "prizes", "certificates"):
        assert reverse("results_download", args=[scenario.edition.slug, fmt]) in page
    assert "?vong=vong-1" in page and "?vong=thi-thu" not in page
    assert "?don-vi=BD" in page and "/api/v1/editions/hoithi-2026/results/" in page


@pytest.mark.parametrize(
    ("fmt", "content_type", "suffix"),
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
        ("csv", "application/zip", ".csv.zip"),
        ("json", "application/json", ".json"),
        ("pdf", "application/pdf", ".pdf"),
    ],
)
def test_a_download_is_an_attachment_and_an_audit_row(client, organiser, scenario, fmt, content_type, suffix):
    client.force_login(organiser)
    url = reverse("results_download", args=[scenario.edition.slug, fmt])
    response = client.get(url, {"vong": "vong-1"})
    assert response.status_code == 200 and response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="ket-qua-hoithi-2026-vong-1{suffix}"'
    row = AuditLog.objects.get(action="results.exported")
    assert (row.actor_id, row.actor_role, row.after["format"]) == (organiser.pk, "organiser", fmt)


def test_a_refused_download_comes_back_with_a_message(client, organiser, scenario):
    client.force_login(organiser)
    url = reverse("results_download", args=[scenario.edition.slug, "certificates"])
    response = client.get(url, {"don-vi": "HK"}, follow=True)
    assert "không có ai đạt giải" in response.content.decode()
    assert not AuditLog.objects.filter(action="results.exported").exists()


def test_contestants_coordinators_and_other_editions_are_refused(client, scenario, coordinator):
    url = reverse("results_exports", args=[scenario.edition.slug])
    download = reverse("results_download", args=[scenario.edition.slug, "json"])
    assert client.get(url).status_code == 302  # to the login page
    for user in (scenario.people[0].person.user, coordinator):
        client.force_login(user)
        assert client.get(url).status_code == 403 and client.get(download).status_code == 403
    stranger = factories.make_user()
    factories.grant(user=stranger, edition=factories.make_edition(), role=RoleGrant.Role.ORGANISER)
    client.force_login(stranger)
    assert client.get(download).status_code == 403


def test_a_practice_round_or_unknown_format_is_not_found(client, organiser, scenario):
    client.force_login(organiser)
    base = reverse("results_download", args=[scenario.edition.slug, "json"])
    assert client.get(base, {"vong": "thi-thu"}).status_code == 404
    assert client.get(reverse("results_download", args=[scenario.edition.slug, "docx"])).status_code == 404
