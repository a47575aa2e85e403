"""seed_demo builds a realistic demo edition and can be run again without changing anything."""

import unicodedata

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from contest import permissions
from contest.demo import DEMO_PASSWORD, seed_demo
from contest.models import AuditLog, Cluster, Person, Registration, RoleGrant, Team, Unit

pytestmark = pytest.mark.django_db


def counts():
    return [model.objects.count() for model in (Unit, Cluster, Team, Person, Registration, RoleGrant)] + [
        get_user_model().objects.count()
    ]


def test_seed_demo_is_idempotent():
    seed_demo()
    first = counts()
    seed_demo()
    assert counts() == first


def test_the_demo_edition_has_units_in_three_levels_teams_and_about_thirty_contestants():
    edition = seed_demo()["edition"]
    assert edition.slug == "demo"
    assert set(edition.units.values_list("level", flat=True)) == {"city", "district", "grassroots"}
    assert 10 <= edition.units.count() <= 12
    city = edition.units.get(level="city")
    assert city.name == "Liên đoàn Lao động Thành phố Hà Nội"
    assert edition.units.filter(parent__parent=city).exists()
    assert edition.clusters.count() == 2
    assert edition.teams.count() == 3
    assert all(team.members.exists() for team in edition.teams.all())
    registrations = edition.registrations.select_related("person")
    assert 28 <= registrations.count() <= 32
    for registration in registrations:
        name = registration.person.full_name
        assert unicodedata.normalize("NFC", name) == name
        assert registration.person.user.username == registration.code


def test_the_demo_roles_work_with_the_shared_password():
    edition = seed_demo()["edition"]
    users = {user.username: user for user in get_user_model().objects.all()}
    assert users["btc"].check_password(DEMO_PASSWORD)
    assert permissions.is_organiser(users["btc"], edition)
    assert permissions.is_head_judge(users["giamkhao1"], edition)
    assert permissions.is_judge(users["giamkhao2"], edition)
    assert not permissions.is_head_judge(users["giamkhao2"], edition)
    coordinated = permissions.coordinated_unit_ids(users["phutrach.badinh"], edition)
    assert set(Unit.objects.filter(pk__in=coordinated).values_list("code", flat=True)) == {"BADINH", "BD01"}


def test_seed_demo_command_prints_the_logins_and_password(capsys):
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert DEMO_PASSWORD in output
    assert "btc" in output and "giamkhao1" in output and "phutrach.badinh" in output
    assert not AuditLog.objects.exists()
