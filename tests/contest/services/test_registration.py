"""Bulk registration service: all rows or nothing, readable usernames, audited resets."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate, get_user_model
from django.test import RequestFactory
from django.utils import timezone

from contest.models import AuditLog, Person, Registration
from contest.registration_import import COLUMNS
from contest.services import registration as service
from tests import factories

pytestmark = pytest.mark.django_db
HEADER = [column.header for column in COLUMNS]
NOW = dt.datetime(2026, 11, 27, 3, 0, tzinfo=dt.UTC)


def csv_file(*rows, delimiter=";", encoding="utf-16") -> bytes:
    return "\n".join(delimiter.join(cells) for cells in [HEADER, *rows]).encode(encoding)


def row(name, unit="QHK", dob="", email="", phone="", team="", consent=""):
    return [name, dob, "", unit, "Cán bộ", email, phone, team, consent]


@pytest.fixture
def units(edition, unit):
    child = factories.make_unit(
        edition=edition, code="CDCS-HK1", name="CĐCS Trường Tiểu học Hoàn Kiếm", parent=unit
    )
    other = factories.make_unit(edition=edition, code="QBD", name="LĐLĐ quận Ba Đình")
    return {"QHK": unit, "CHILD": child, "QBD": other}


def confirm(edition, actor, content, filename="ds.csv"):
    return service.confirm_registrations(
        edition=edition, actor=actor, filename=filename, content=content, now=NOW
    )


def test_confirming_a_utf16_semicolon_csv_creates_people_accounts_and_registrations(
    edition, organiser, units
):
    team = factories.make_team(edition=edition, unit=units["QHK"], code="DOI1", name="Đội Hoàn Kiếm 1")
    content = csv_file(
        row("Nguyễn Thị Hoa", dob="05/03/1985", email="hoa@example.vn", team="DOI1", consent="có"),
        row("Trần Văn Bình", unit="QBD", phone="0912345678"),
        row("Lê Minh Anh", unit="CDCS-HK1"),
    )
    slips = confirm(edition, organiser, content)

    assert Registration.objects.filter(edition=edition).count() == 3
    hoa = Registration.objects.get(person__full_name="Nguyễn Thị Hoa")
    assert hoa.code == hoa.person.user.username == "qhk001"
    assert hoa.team == team
    assert hoa.person.date_of_birth == dt.date(1985, 3, 5)
    assert hoa.person.public_consent_at == NOW
    assert Registration.objects.get(person__full_name="Trần Văn Bình").person.public_consent_at is None
    assert {slip.username for slip in slips} == {"qhk001", "qbd001", "cdcshk1001"}
    # Slips are grouped by unit code, passwords are strong and work.
    assert [slip.unit_code for slip in slips] == ["CDCS-HK1", "QBD", "QHK"]
    for slip in slips:
        assert len(slip.password) == 14
        assert get_user_model().objects.get(username=slip.username).check_password(slip.password)
    [entry] = AuditLog.objects.filter(action="registration.imported")
    assert entry.actor_id == organiser.pk
    assert entry.actor_role == "organiser"
    assert sorted(entry.after["registration_ids"]) == sorted(
        Registration.objects.values_list("pk", flat=True)
    )
    assert entry.after["consented"] == 1
    assert "Hoa" not in str(entry.after)  # audit rows refer to people by id only


def test_usernames_continue_numbering_from_existing_accounts(edition, organiser, units):
    factories.make_user(username="qhk007")
    slips = confirm(edition, organiser, csv_file(row("Phạm Văn Long"), row("Đỗ Thị Mai")))
    assert sorted(slip.username for slip in slips) == ["qhk008", "qhk009"]


def test_nothing_is_written_when_any_row_has_an_error(edition, organiser, units):
    content = csv_file(row("Nguyễn Thị Hoa"), row("", unit="QHK"), row("Trần Văn Bình", unit="NOPE"))
    users_before = get_user_model().objects.count()
    with pytest.raises(service.RegistrationImportError, match="3, 4"):
        confirm(edition, organiser, content)
    assert Registration.objects.count() == 0
    assert Person.objects.count() == 0
    assert get_user_model().objects.count() == users_before
    assert not AuditLog.objects.filter(action="registration.imported").exists()


def test_a_coordinator_registers_only_in_their_units(edition, coordinator, units):
    preview = service.preview_registrations(
        edition=edition,
        actor=coordinator,
        filename="ds.csv",
        content=csv_file(row("Nguyễn Thị Hoa", unit="CDCS-HK1"), row("Trần Văn Bình", unit="QBD")),
        today=NOW.date(),
    )
    first, second = preview.checks
    assert first.ok
    assert any("không phụ trách" in error for error in second.errors)
    assert not preview.can_confirm
    with pytest.raises(service.RegistrationImportError):
        confirm(edition, coordinator, csv_file(row("Trần Văn Bình", unit="QBD")))
    assert Registration.objects.count() == 0


def test_preview_warns_about_people_already_registered_without_naming_other_units(
    edition, coordinator, units
):
    other = factories.make_contestant(edition=edition, unit=units["QBD"], full_name="Vũ Thị Thu")
    other.person.email = "thu@example.vn"
    other.person.save()
    preview = service.preview_registrations(
        edition=edition,
        actor=coordinator,
        filename="ds.csv",
        content=csv_file(row("Vũ Thị Thu", email="thu@example.vn")),
        today=NOW.date(),
    )
    [check] = preview.checks
    assert check.ok and preview.can_confirm
    assert check.warnings == ["Cùng email với một người đã đăng ký ở đơn vị khác."]


def test_a_file_level_problem_is_reported_without_rows(edition, organiser):
    preview = service.preview_registrations(
        edition=edition, actor=organiser, filename="ds.doc", content=b"x", today=NOW.date()
    )
    assert preview.file_error
    assert not preview.can_confirm


def test_reprinting_a_slip_resets_that_password_lifts_the_lock_and_is_audited(edition, organiser, contestant):
    user = contestant.person.user
    request = RequestFactory().post("/dang-nhap/", REMOTE_ADDR="10.0.0.1")
    for _ in range(5):
        authenticate(request, username=user.username, password="sai")
    assert AccessAttempt.objects.filter(username=user.username).exists()

    [slip] = service.reset_passwords(edition=edition, actor=organiser, registrations=[contestant], now=NOW)

    user.refresh_from_db()
    assert user.check_password(slip.password)
    assert not user.check_password("matkhau-thu-1")
    assert not AccessAttempt.objects.filter(username=user.username).exists()
    [entry] = AuditLog.objects.filter(action="registration.password_reset")
    assert (entry.object_id, entry.actor_id, entry.after) == (
        str(contestant.pk),
        organiser.pk,
        {"user_id": user.pk},
    )


def test_generated_passwords_avoid_look_alike_characters_and_differ():
    passwords = {service.generate_password() for _ in range(200)}
    assert len(passwords) == 200
    assert not any(set(p) & set("0O1lI") for p in passwords)


def test_hashing_in_a_pool_gives_the_same_verifiable_hashes(settings):
    from django.contrib.auth.hashers import check_password

    settings.PASSWORD_HASHERS = ["config.hashers.OwaspArgon2PasswordHasher"]
    hashes = service.hash_passwords(["một", "hai", "ba"])
    assert all(h.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$") for h in hashes)
    assert [check_password(p, h) for p, h in zip(["một", "hai", "ba"], hashes, strict=True)] == [True] * 3


def test_timezone_is_used_for_the_birth_date_sanity_check(edition, organiser, units):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    preview = service.preview_registrations(
        edition=edition,
        actor=organiser,
        filename="ds.csv",
        content=csv_file(row("Nguyễn Thị Hoa", dob=tomorrow)),
        today=timezone.localdate(),
    )
    assert not preview.can_confirm
