"""Round configuration: the pure cross-field rules and the audited create/update services."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from contest.models import AuditLog, Round
from contest.services.round_config import Entry, check_round_config, create_round, update_round
from quizzes.models import Paper
from tests import factories

T0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def values(**overrides):
    base = {
        "name": "Vòng loại cụm 1",
        "slug": "vong-loai-cum-1",
        "mode": "exam",
        "paper": None,
        "is_practice": False,
        "access_code": "",
        "opens_at": T0,
        "closes_at": T0 + timedelta(hours=2),
        "timing": "personal",
        "duration_seconds": 1800,
        "late_entry": "full",
        "late_entry_minutes": 0,
        "attempts_allowed": 1,
        "counts": "best",
        "grace_seconds": 3.0,
    }
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"closes_at": T0}, "closes_at"),
        ({"closes_at": T0 - timedelta(minutes=1)}, "closes_at"),
        ({"duration_seconds": 0}, "duration_seconds"),
        ({"duration_seconds": None, "closes_at": None}, "duration_seconds"),
        ({"timing": "synchronous", "duration_seconds": None, "closes_at": None}, "duration_seconds"),
        ({"late_entry": "remaining", "late_entry_minutes": 0}, "late_entry_minutes"),
        ({"attempts_allowed": 0}, "attempts_allowed"),
        ({"grace_seconds": -1}, "grace_seconds"),
        ({"grace_seconds": 61}, "grace_seconds"),
    ],
)
def test_it_names_the_field_of_each_broken_rule(overrides, field):
    assert field in check_round_config(values(**overrides))


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"duration_seconds": None},  # works until the window closes
        {"closes_at": None},  # a personal timer without a window
        {"late_entry": "remaining", "late_entry_minutes": 10},
        {"grace_seconds": 0},
        {"mode": "live", "duration_seconds": None, "closes_at": None},  # the host paces a live round
    ],
)
def test_it_accepts_sound_configurations(overrides):
    assert check_round_config(values(**overrides)) == {}


@pytest.mark.django_db
class TestServices:
    def test_creating_writes_a_draft_and_one_audit_row_with_the_configuration(self, edition, organiser, unit):
        round_ = create_round(
            actor=organiser, edition=edition, values=values(), entry=Entry(units=(unit,)), now=T0
        )
        assert round_.state == Round.State.DRAFT
        assert list(round_.entry_units.all()) == [unit]
        row = AuditLog.objects.get(action="round.created")
        assert row.actor_id == organiser.pk
        assert row.after["entry_units"] == [unit.pk]
        assert row.after["duration_seconds"] == 1800

    def test_it_refuses_a_paper_of_another_edition_and_writes_nothing(self, edition, organiser):
        foreign = Paper.objects.create(edition=factories.make_edition(), name="Đề kỳ khác")
        with pytest.raises(ValidationError) as error:
            create_round(
                actor=organiser, edition=edition, values=values(paper=foreign), entry=Entry(), now=T0
            )
        assert "paper" in error.value.message_dict
        assert not Round.objects.exists()
        assert not AuditLog.objects.filter(action="round.created").exists()

    def test_it_refuses_contestants_of_another_edition(self, edition, organiser):
        stranger = factories.make_contestant(edition=factories.make_edition())
        with pytest.raises(ValidationError):
            create_round(
                actor=organiser,
                edition=edition,
                values=values(),
                entry=Entry(registrations=(stranger,)),
                now=T0,
            )

    def test_it_refuses_a_slug_already_used_in_the_edition(self, edition, organiser):
        create_round(actor=organiser, edition=edition, values=values(), entry=Entry(), now=T0)
        with pytest.raises(ValidationError) as error:
            create_round(actor=organiser, edition=edition, values=values(name="Khác"), entry=Entry(), now=T0)
        assert "slug" in error.value.message_dict

    def test_updating_audits_before_and_after(self, edition, organiser):
        round_ = create_round(actor=organiser, edition=edition, values=values(), entry=Entry(), now=T0)
        update_round(
            actor=organiser, round_=round_, values=values(duration_seconds=2400), entry=Entry(), now=T0
        )
        row = AuditLog.objects.get(action="round.updated")
        assert (row.before["duration_seconds"], row.after["duration_seconds"]) == (1800, 2400)

    def test_a_started_round_cannot_be_reconfigured(self, edition, organiser):
        round_ = create_round(actor=organiser, edition=edition, values=values(), entry=Entry(), now=T0)
        Round.objects.filter(pk=round_.pk).update(state=Round.State.OPEN)
        with pytest.raises(ValidationError):
            update_round(
                actor=organiser, round_=round_, values=values(duration_seconds=60), entry=Entry(), now=T0
            )
        round_.refresh_from_db()
        assert round_.duration_seconds == 1800
