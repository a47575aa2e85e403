"""Factories for test data: plain functions with keyword arguments and sensible defaults.

Every test builds its data through these (or the personas in conftest.py), so a model change
is absorbed here instead of in hundreds of tests.
"""

import itertools

from django.contrib.auth import get_user_model

from contest.models import Edition, Person, Registration, RoleGrant, Team, Unit

_seq = itertools.count(1)


def next_id() -> int:
    return next(_seq)


def make_edition(*, slug=None, name=None, **fields) -> Edition:
    n = next_id()
    return Edition.objects.create(slug=slug or f"ed{n}", name=name or f"Hội thi thử {n}", **fields)


def make_unit(*, edition, code=None, name=None, parent=None, **fields) -> Unit:
    n = next_id()
    return Unit.objects.create(
        edition=edition, code=code or f"U{n}", name=name or f"Công đoàn thử {n}", parent=parent, **fields
    )


def make_user(*, username=None, password="matkhau-thu-1", **fields):
    user = get_user_model().objects.create_user(
        username=username or f"user{next_id()}", password=password, **fields
    )
    user.raw_password = password
    return user


def grant(*, user, edition, role, unit=None, head=False) -> RoleGrant:
    return RoleGrant.objects.create(user=user, edition=edition, role=role, unit=unit, is_head_judge=head)


def make_person(*, full_name=None, user=None, **fields) -> Person:
    return Person.objects.create(full_name=full_name or f"Nguyễn Văn Thử {next_id()}", user=user, **fields)


def make_team(*, edition, unit, code=None, name=None) -> Team:
    n = next_id()
    return Team.objects.create(edition=edition, unit=unit, code=code or f"T{n}", name=name or f"Đội {n}")


def make_contestant(*, edition, unit=None, full_name=None, team=None, code=None, with_user=True) -> Registration:
    """A registered contestant with a login (``registration.person.user``)."""
    unit = unit or make_unit(edition=edition)
    n = next_id()
    user = make_user(username=code or f"ts{n}") if with_user else None
    person = make_person(full_name=full_name, user=user)
    return Registration.objects.create(
        edition=edition, person=person, unit=unit, team=team, code=code or f"TS{n:04d}"
    )
