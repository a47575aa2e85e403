"""Organiser round pages and the contestant's round page: who may open what."""

import pytest
from django.urls import reverse

from contest.models import Attempt, AuditLog, Round
from tests import factories

pytestmark = pytest.mark.django_db


def make_round(edition, **fields):
    values = {
        "slug": f"vong-{factories.next_id()}",
        "name": "Vòng loại cụm 1",
        "state": Round.State.SCHEDULED,
    }
    values.update(fields)
    return Round.objects.create(edition=edition, **values)


def make_attempt(round_, registration):
    return Attempt.objects.create(
        round=round_, registration=registration, seed=1, paper={"version": 1, "slots": []}, state="submitted"
    )


def login(client, user):
    client.force_login(user)
    return client


class TestControlPanel:
    def test_it_refuses_a_contestant(self, client, edition, contestant):
        round_ = make_round(edition)
        url = reverse("round_control", args=[edition.slug, round_.slug])
        assert login(client, contestant.person.user).get(url).status_code == 403

    def test_it_refuses_an_organiser_of_another_edition(self, client, edition):
        round_ = make_round(edition)
        other = factories.make_edition()
        user = factories.make_user()
        factories.grant(user=user, edition=other, role="organiser")
        url = reverse("round_control", args=[edition.slug, round_.slug])
        assert login(client, user).get(url).status_code == 403

    def test_it_shows_the_panel_with_the_control_socket_to_an_organiser(self, client, edition, organiser):
        round_ = make_round(edition)
        response = login(client, organiser).get(reverse("round_control", args=[edition.slug, round_.slug]))
        assert response.status_code == 200
        assert f"/ws/rounds/{round_.pk}/control/" in response.content.decode()
        assert b"<script>" not in response.content  # CSP: configuration only as JSON data

    def test_it_sends_anonymous_users_to_log_in(self, client, edition):
        round_ = make_round(edition)
        response = client.get(reverse("round_control", args=[edition.slug, round_.slug]))
        assert response.status_code == 302


class TestRoundForm:
    def post_data(self, **overrides):
        data = {
            "name": "Vòng loại cụm 2",
            "slug": "vong-loai-cum-2",
            "mode": "exam",
            "timing": "personal",
            "duration_minutes": "30",
            "late_entry": "full",
            "late_entry_minutes": "0",
            "attempts_allowed": "1",
            "counts": "best",
            "grace_seconds": "3",
            "opens_at": "2026-12-01T08:00",
            "closes_at": "2026-12-01T10:00",
        }
        data.update(overrides)
        return data

    def test_it_creates_a_draft_round_and_audits_it(self, client, edition, organiser):
        response = login(client, organiser).post(
            reverse("round_create", args=[edition.slug]), self.post_data()
        )
        round_ = Round.objects.get(edition=edition, slug="vong-loai-cum-2")
        assert response.status_code == 302
        assert round_.state == Round.State.DRAFT
        assert round_.duration_seconds == 1800
        assert AuditLog.objects.filter(
            action="round.created", object_id=str(round_.pk), actor_id=organiser.pk
        ).exists()

    def test_it_rejects_a_close_before_the_open_and_saves_nothing(self, client, edition, organiser):
        data = self.post_data(closes_at="2026-12-01T07:00")
        response = login(client, organiser).post(reverse("round_create", args=[edition.slug]), data)
        assert response.status_code == 200
        assert "Giờ đóng phải sau giờ mở." in response.content.decode()
        assert not Round.objects.filter(slug="vong-loai-cum-2").exists()

    def test_it_refuses_a_contestant(self, client, edition, contestant):
        response = login(client, contestant.person.user).post(
            reverse("round_create", args=[edition.slug]), self.post_data()
        )
        assert response.status_code == 403
        assert not Round.objects.exists()

    def test_it_refuses_to_change_a_round_that_has_started(self, client, edition, organiser):
        round_ = make_round(edition, state=Round.State.OPEN, slug="vong-dang-thi")
        data = self.post_data(slug="vong-dang-thi", name="Tên mới")
        response = login(client, organiser).post(
            reverse("round_edit", args=[edition.slug, round_.slug]), data
        )
        assert response.status_code == 200
        round_.refresh_from_db()
        assert round_.name == "Vòng loại cụm 1"

    def test_it_shows_whole_minutes_without_an_exponent(self, client, edition, organiser):
        for seconds, shown in ((1200, 'value="20"'), (15, 'value="0.25"'), (90, 'value="1.5"')):
            round_ = make_round(edition, state=Round.State.DRAFT, duration_seconds=seconds)
            response = login(client, organiser).get(reverse("round_edit", args=[edition.slug, round_.slug]))
            assert shown in response.content.decode()


class TestContestantPages:
    def test_it_shows_the_round_page_to_a_registered_contestant(self, client, edition, contestant):
        round_ = make_round(edition)
        response = login(client, contestant.person.user).get(
            reverse("exam_round", args=[edition.slug, round_.pk])
        )
        assert response.status_code == 200
        assert f"/ws/rounds/{round_.pk}/play/" in response.content.decode()

    def test_it_refuses_the_round_page_to_someone_not_registered(self, client, edition, organiser):
        round_ = make_round(edition)
        response = login(client, organiser).get(reverse("exam_round", args=[edition.slug, round_.pk]))
        assert response.status_code == 403

    def test_it_refuses_the_round_page_to_a_contestant_the_round_is_not_open_to(
        self, client, edition, contestant
    ):
        round_ = make_round(edition)
        round_.entry_units.set([factories.make_unit(edition=edition)])
        response = login(client, contestant.person.user).get(
            reverse("exam_round", args=[edition.slug, round_.pk])
        )
        assert response.status_code == 403

    def test_it_opens_a_contestants_own_receipt(self, client, edition, contestant):
        attempt = make_attempt(make_round(edition), contestant)
        response = login(client, contestant.person.user).get(
            reverse("attempt_receipt", args=[edition.slug, attempt.pk])
        )
        assert response.status_code == 200
        assert contestant.code in response.content.decode()

    def test_a_live_round_s_receipt_leads_back_to_its_phone_page(self, client, edition, contestant):
        round_ = make_round(edition, mode=Round.Mode.LIVE)
        attempt = make_attempt(round_, contestant)
        response = login(client, contestant.person.user).get(
            reverse("attempt_receipt", args=[edition.slug, attempt.pk])
        )
        assert reverse("live_play", args=[edition.slug, round_.pk]) in response.content.decode()

    def test_it_hides_another_contestants_attempt(self, client, edition, contestant, other_contestant):
        attempt = make_attempt(make_round(edition), other_contestant)
        response = login(client, contestant.person.user).get(
            reverse("attempt_receipt", args=[edition.slug, attempt.pk])
        )
        assert response.status_code == 404

    def test_the_dashboard_lists_only_rounds_the_contestant_may_enter(self, client, edition, contestant):
        open_to_all = make_round(edition, name="Vòng chung")
        other_unit = factories.make_unit(edition=edition)
        restricted = make_round(edition, name="Vòng riêng đơn vị khác")
        restricted.entry_units.set([other_unit])
        make_round(edition, name="Vòng nháp", state=Round.State.DRAFT)
        listed_by_unit = make_round(edition, name="Vòng của đơn vị mình")
        listed_by_unit.entry_units.set([contestant.unit])
        page = login(client, contestant.person.user).get(reverse("dashboard")).content.decode()
        assert open_to_all.name in page
        assert listed_by_unit.name in page
        assert restricted.name not in page
        assert "Vòng nháp" not in page
