"""The edition archive: export -> import into an empty database -> export again is identical
(apart from the audit rows the export and import add); refusals change nothing."""

import io
import struct
import zlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from contest import archive
from contest.models import (
    AttemptEvent,
    AuditLog,
    Edition,
    Mark,
    Person,
    PrizeDecision,
    RoleGrant,
    RoundBoard,
    SignOff,
    Team,
)
from contest.services.exports import export_results
from quizzes.filing import upload_media
from quizzes.models import Tag
from tests import factories
from tests.contest.exporters.export_helpers import NOW, finished_edition
from tests.contest.rounds_helpers import at

pytestmark = pytest.mark.django_db


KEPT_TABLES = {"django_migrations", "django_content_type", "auth_permission"}


def empty_the_database():
    """Every row of every table gone, as in a fresh instance (DELETE, not TRUNCATE: it runs
    inside the test's transaction, and the foreign keys are checked at commit)."""
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False):
            if table not in KEPT_TABLES:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 - table names from Django


def tiny_png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def full_edition(edition, organiser, judge):
    scenario = finished_edition(edition, organiser)
    team = scenario.team
    Team.objects.filter(pk=team.pk).update(captain=scenario.people[0])
    child = factories.make_unit(
        edition=edition, code="BD-1", name="Công đoàn phường Điện Biên", parent=scenario.units[0]
    )
    assert child.parent_id
    bank = scenario.round.paper.items.first().question.bank
    upload_media(bank=bank, data=tiny_png(), name="hình.png")
    question = scenario.round.paper.items.first().question
    question.tags.add(Tag.objects.create(name="IU03"))
    attempt = scenario.people[0].attempts.get(round=scenario.round)
    Mark.objects.create(attempt=attempt, slot=0, judge=judge, total=Decimal("1.5"), created_at=at(100))
    SignOff.objects.create(round=scenario.round, judge=judge, signed_at=at(200))
    AttemptEvent.objects.create(
        round=scenario.round, registration=scenario.people[0], attempt=attempt, kind="connect", at=at(6)
    )
    RoundBoard.objects.create(
        round=scenario.round, frozen_rows={"individual": [{"id": scenario.people[1].pk, "rank": 1}]}
    )
    PrizeDecision.objects.create(
        edition=edition, scope="individual", level="first", tied=[scenario.people[0].pk, scenario.people[1].pk],
        awarded=[scenario.people[0].pk], decided_by_id=organiser.pk, decided_at=at(300),
    )  # fmt: skip
    scenario.round.entry_units.add(scenario.units[0])
    export_results(edition=edition, fmt="certificates", actor=organiser, now=NOW)
    return scenario


def test_every_model_is_archived_or_deliberately_left_out():
    labels = {
        m._meta.label_lower for app in ("contest", "quizzes") for m in apps.get_app_config(app).get_models()
    }
    archived = set(dict(archive.PARTS))
    assert labels - archived - set(archive.NOT_ARCHIVED) == set()


def test_the_round_trip_through_an_empty_database_gives_identical_data(full_edition, tmp_path):
    path = tmp_path / "ky-thi.zip"
    call_command("export_edition", "--edition", full_edition.edition.slug, "--out", str(path))
    first = path.read_bytes()
    document = archive.comparable(first)["document"]
    assert {label for label, rows in document["models"].items() if rows} >= {
        "contest.attempt", "contest.answerrevision", "contest.mark", "contest.signoff", "contest.certificate",
        "contest.auditlog", "quizzes.questionmedia", "quizzes.questionversion", "contest.prizedecision",
    }  # fmt: skip
    empty_the_database()
    assert not Edition.objects.exists() and not AuditLog.objects.exists()

    call_command("import_edition", str(path))
    again = tmp_path / "lan-2.zip"
    call_command("export_edition", "--edition", full_edition.edition.slug, "--out", str(again))
    assert archive.comparable(again.read_bytes()) == archive.comparable(first)

    edition = Edition.objects.get()
    team = Team.objects.get()
    assert team.captain.person.full_name == "Nguyễn Thị Quỳnh Hương"
    decision = PrizeDecision.objects.get()
    assert set(decision.awarded) == {team.captain_id}
    assert RoleGrant.objects.filter(edition=edition, user__username="gk1").exists()
    imported = AuditLog.objects.filter(action="edition.imported").count()
    assert imported == 1
    # The imported results are the same results.
    assert (
        export_results(edition=edition, fmt="json", now=NOW).content
        == export_results(edition=edition, fmt="json", now=NOW).content
    )


def test_importing_twice_needs_a_new_slug_and_reuses_people_and_tags(full_edition, tmp_path):
    content = archive.build_archive(full_edition.edition)
    with pytest.raises(archive.ArchiveError, match="Đã có kỳ hội thi"):
        archive.import_edition(content=content)
    people = Person.objects.count()
    copy = archive.import_edition(content=content, slug="ban-sao")
    assert copy.registrations.count() == 4 and Person.objects.count() == people
    assert Tag.objects.filter(name="IU03").count() == 1
    assert copy.rounds.get(slug="vong-1").attempts.exclude(state="ready").count() == 3


def test_the_commands_report_usage_errors_and_bad_files(tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("export_edition", "--edition", "khong-co", "--out", str(tmp_path / "x.zip"))
    assert error.value.returncode == 2
    with pytest.raises(CommandError) as error:
        call_command("import_edition", str(tmp_path / "khong-co.zip"))
    assert error.value.returncode == 2
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="không phải bản lưu trữ") as error:
        call_command("import_edition", str(bad))
    assert error.value.returncode == 1


def test_a_bank_media_file_travels_in_the_archive(full_edition):
    content = archive.build_archive(full_edition.edition)
    _document, media = archive.read_archive(content)
    assert [data for data in media.values()] == [tiny_png()]
    assert io.BytesIO(content).getbuffer().nbytes > 0


def test_site_wide_rights_do_not_travel_with_an_archive(full_edition, judge):
    judge.is_superuser = judge.is_staff = True
    judge.save(update_fields=["is_superuser", "is_staff"])
    content = archive.build_archive(full_edition.edition)
    document, _media = archive.read_archive(content)
    assert {"is_superuser", "is_staff"} & set(document["users"][0]) == set()
    assert all(user["password"] for user in document["users"])
