"""Bulk registration of contestants, and resetting their passwords when a slip is reprinted.

The flow follows pretix's importers: check every row first (:func:`preview_registrations`
writes nothing), then write everything in one short transaction or nothing at all
(:func:`confirm_registrations`). Passwords are generated here, hashed in a thread pool before
the transaction opens (Argon2 releases the GIL, so the pool uses every core), and returned
in plain text exactly once, for the login slips; only their hashes are stored.
"""

import os
import re
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from axes.utils import reset as reset_lockouts
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, permissions
from ..models import Edition, Person, Registration, Unit
from ..registration_import import (
    Context,
    ImportFileError,
    KnownPerson,
    RowCheck,
    check_rows,
    read_table,
    username_prefix,
)
from ..vietnamese import fold_spaces, name_sort_key, split_name

# No 0/O, 1/l/I: slips are read off paper and typed on phones.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # noqa: S105 - an alphabet
PASSWORD_GROUPS = 3
PASSWORD_GROUP_LENGTH = 4  # 12 random characters from 55: about 69 bits


class RegistrationImportError(Exception):
    """The import cannot be confirmed; ``str()`` is the translated reason."""


@dataclass
class ImportPreview:
    """What the preview page shows: every row with its problems, or a file-level error."""

    checks: list[RowCheck]
    file_error: str = ""

    @property
    def error_count(self) -> int:
        return sum(len(check.errors) for check in self.checks)

    @property
    def warning_count(self) -> int:
        return sum(len(check.warnings) for check in self.checks)

    @property
    def can_confirm(self) -> bool:
        return not self.file_error and bool(self.checks) and not self.error_count


@dataclass(frozen=True)
class Slip:
    """One login slip. ``password`` exists only in memory, for the page that prints it."""

    edition_name: str
    unit_code: str
    unit_name: str
    full_name: str
    code: str
    username: str
    password: str
    team_name: str = ""


def generate_password() -> str:
    groups = (
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_GROUP_LENGTH))
        for _ in range(PASSWORD_GROUPS)
    )
    return "-".join(groups)


def hash_passwords(passwords: list[str]) -> list[str]:
    """Hash in parallel: 300 Argon2 hashes take seconds, not the minutes of a serial loop."""
    workers = max(1, min(len(passwords), os.cpu_count() or 1))
    if workers == 1:
        return [make_password(password) for password in passwords]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(make_password, passwords))


def _descendants(parents: dict[int, int | None], root: int) -> set[int]:
    result = set()
    for unit_id in parents:
        cursor = unit_id
        while cursor is not None:
            if cursor == root:
                result.add(unit_id)
                break
            cursor = parents.get(cursor)
    return result


def _context(*, edition: Edition, actor, today) -> tuple[Context, dict[str, Unit]]:
    units = {unit.pk: unit for unit in Unit.objects.filter(edition=edition)}
    parents = {unit.pk: unit.parent_id for unit in units.values()}
    allowed_ids = permissions.manageable_unit_ids(actor, edition)
    team_units = {
        team.code.upper(): frozenset(units[uid].code.upper() for uid in _descendants(parents, team.unit_id))
        for team in edition.teams.all()
    }
    known = []
    elsewhere = _("một người đã đăng ký ở đơn vị khác")
    registered_people = set()
    for registration in Registration.objects.filter(edition=edition).select_related("person", "unit"):
        person = registration.person
        registered_people.add(person.pk)
        visible = registration.unit_id in allowed_ids
        known.append(
            KnownPerson(
                label=(_("thí sinh %(code)s") % {"code": registration.code}) if visible else elsewhere,
                folded_name=fold_spaces(person.full_name),
                date_of_birth=person.date_of_birth,
                email=person.email.lower(),
                phone=person.phone,
                unit_code=registration.unit.code.upper(),
            )
        )
    # People from earlier editions: only a birth date, email or phone makes a match meaningful.
    for person in Person.objects.exclude(pk__in=registered_people).exclude(
        date_of_birth=None, email="", phone=""
    ):
        known.append(
            KnownPerson(
                label=_("cán bộ #%(id)s đã có trong hệ thống") % {"id": person.pk},
                folded_name=fold_spaces(person.full_name),
                date_of_birth=person.date_of_birth,
                email=person.email.lower(),
                phone=person.phone,
                unit_code="",
            )
        )
    context = Context(
        unit_codes=frozenset(units[uid].code.upper() for uid in allowed_ids if uid in units),
        known_unit_codes=frozenset(unit.code.upper() for unit in units.values()),
        team_units=team_units,
        known_people=tuple(known),
        today=today,
    )
    return context, {unit.code.upper(): unit for unit in units.values()}


def preview_registrations(*, edition: Edition, actor, filename: str, content: bytes, today) -> ImportPreview:
    """Read and check an upload. Writes nothing; opens no transaction; emits no events."""
    try:
        rows = read_table(filename, content)
    except ImportFileError as exc:
        return ImportPreview(checks=[], file_error=str(exc))
    context, _units = _context(edition=edition, actor=actor, today=today)
    return ImportPreview(checks=check_rows(rows, context))


def _allocate_usernames(edition: Edition, unit_codes: list[str]) -> list[str]:
    """``<unit code><number>`` per row, numbering on from the highest already taken."""
    User = get_user_model()
    allocated: list[str] = []
    next_number: dict[str, int] = {}
    taken: dict[str, set[str]] = {}
    for unit_code in unit_codes:
        prefix = username_prefix(unit_code)
        if prefix not in taken:
            names = set(User.objects.filter(username__startswith=prefix).values_list("username", flat=True))
            names |= {
                code.lower()
                for code in Registration.objects.filter(
                    edition=edition, code__istartswith=prefix
                ).values_list("code", flat=True)
            }
            pattern = re.compile(rf"^{re.escape(prefix)}(\d{{3,}})$")
            numbers = [int(m.group(1)) for name in names if (m := pattern.match(name))]
            taken[prefix] = names
            next_number[prefix] = max(numbers, default=0) + 1
        while (candidate := f"{prefix}{next_number[prefix]:03d}") in taken[prefix]:
            next_number[prefix] += 1
        taken[prefix].add(candidate)
        allocated.append(candidate)
    return allocated


def confirm_registrations(
    *, edition: Edition, actor, filename: str, content: bytes, ip=None, now=None
) -> list[Slip]:
    """Create a Person, a User and a Registration for every row, or nothing.

    Precondition: the actor may manage registrations in the edition (the view checks it);
    rows outside the actor's units are errors. The file is checked again, since units or
    people may have changed since the preview. Opens one transaction, hashing happens before
    it. Writes one ``registration.imported`` audit row (ids only). Emits no events.
    Raises :class:`RegistrationImportError` when any row has an error.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    try:
        rows = read_table(filename, content)
    except ImportFileError as exc:
        raise RegistrationImportError(str(exc)) from None
    context, units = _context(edition=edition, actor=actor, today=today)
    checks = check_rows(rows, context)
    failing = [check.number for check in checks if check.errors]
    if failing:
        raise RegistrationImportError(
            _("Chưa ghi gì: các dòng %(rows)s còn lỗi.") % {"rows": ", ".join(map(str, failing))}
        )
    passwords = [generate_password() for _ in checks]
    hashes = hash_passwords(passwords)
    teams = {team.code.upper(): team for team in edition.teams.all()}
    User = get_user_model()
    try:
        with transaction.atomic():
            usernames = _allocate_usernames(edition, [check.values["unit_code"] for check in checks])
            users, people = [], []
            for check, username, password_hash in zip(checks, usernames, hashes, strict=True):
                values = check.values
                given, family = split_name(values["full_name"])
                users.append(
                    User(
                        username=username,
                        password=password_hash,
                        first_name=given[:150],
                        last_name=family[:150],
                        email=values["email"],
                    )
                )
            users = User.objects.bulk_create(users)
            for check, user in zip(checks, users, strict=True):
                values = check.values
                people.append(
                    Person(
                        full_name=values["full_name"],
                        date_of_birth=values["date_of_birth"],
                        gender=values["gender"],
                        email=values["email"],
                        phone=values["phone"],
                        user=user,
                        public_consent_at=now if values["consent"] else None,
                    )
                )
            people = Person.objects.bulk_create(people)
            registrations = Registration.objects.bulk_create(
                [
                    Registration(
                        edition=edition,
                        person=person,
                        unit=units[check.values["unit_code"]],
                        team=teams.get(check.values["team_code"]),
                        code=user.username,
                        position=check.values["position"],
                    )
                    for check, person, user in zip(checks, people, users, strict=True)
                ]
            )
            audit.record(
                action="registration.imported",
                actor=actor,
                actor_role=permissions.actor_role(actor, edition),
                edition=edition,
                after={
                    "rows": len(registrations),
                    "registration_ids": [registration.pk for registration in registrations],
                    "unit_ids": sorted({registration.unit_id for registration in registrations}),
                    "consented": sum(1 for check in checks if check.values["consent"]),
                },
                reason=filename[:200],
                ip=ip,
                now=now,
            )
    except IntegrityError:
        raise RegistrationImportError(
            _("Có người khác vừa đăng ký cùng lúc; chưa ghi gì. Hãy thử xác nhận lại.")
        ) from None
    return sort_slips(
        _slip(edition, registration, registration.code, password)
        for registration, password in zip(registrations, passwords, strict=True)
    )


def reset_passwords(
    *, edition: Edition, actor, registrations: list[Registration], ip=None, now=None
) -> list[Slip]:
    """Give each registration's account a new password, for a reprinted slip.

    Precondition: the view has checked that every registration is in a unit the actor
    manages. Registrations without an account are skipped. Lifts any login lock on those
    usernames (the contestant asked for help). Opens one transaction; hashing happens before
    it. Writes one ``registration.password_reset`` audit row per account. Emits no events.
    """
    now = now or timezone.now()
    with_accounts = [registration for registration in registrations if registration.person.user_id]
    passwords = [generate_password() for _ in with_accounts]
    hashes = hash_passwords(passwords)
    role = permissions.actor_role(actor, edition)
    with transaction.atomic():
        for registration, password_hash in zip(with_accounts, hashes, strict=True):
            user = registration.person.user
            user.password = password_hash
            user.save(update_fields=["password"])
            audit.record(
                action="registration.password_reset",
                actor=actor,
                actor_role=role,
                edition=edition,
                obj=registration,
                after={"user_id": user.pk},
                ip=ip,
                now=now,
            )
    for registration in with_accounts:
        reset_lockouts(username=registration.person.user.username)
    return sort_slips(
        _slip(edition, registration, registration.person.user.username, password)
        for registration, password in zip(with_accounts, passwords, strict=True)
    )


def _slip(edition: Edition, registration: Registration, username: str, password: str) -> Slip:
    return Slip(
        edition_name=edition.name,
        unit_code=registration.unit.code,
        unit_name=registration.unit.name,
        full_name=registration.person.full_name,
        code=registration.code,
        username=username,
        password=password,
        team_name=registration.team.name if registration.team else "",
    )


def sort_slips(slips) -> list[Slip]:
    """Grouped by unit (code order), people in Vietnamese name order inside each unit."""
    return sorted(slips, key=lambda slip: (slip.unit_code, name_sort_key(slip.full_name)))
