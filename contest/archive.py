"""A whole edition as one file, and back: ``export_edition`` / ``import_edition``.

The archive is a zip holding ``archive.json`` and the question images under ``media/``. It is
generic over the models: :data:`PARTS` declares, in insertion order, each archived model and how
its rows belong to the edition; every concrete field is written as is, so a field added to a
model later is archived without touching this module (a test fails when a new model of
``contest`` or ``quizzes`` is neither archived nor listed in :data:`NOT_ARCHIVED`).

Identity: rows carry *archive ids* (1, 2, … per model, in primary-key order) instead of
database ids, and every foreign key is written as the target's archive id. Import creates the
rows in that order, so exporting the imported edition gives the same ids and the same bytes
(apart from the audit rows the export and the import add). Ids hidden inside values (an
attempt's paper snapshot, prize tie decisions, the frozen board, audit rows, judging
question ids) are translated by :data:`VALUE_IDS`. Foreign keys to rows outside the archive
(``Edition.previous``, ``Unit.copied_from``) are written as empty.

Users are matched by username: an existing account is reused untouched, a missing one is
created with its stored password hash, so people can log in to an imported instance. A person
whose account already has a person (an instance that holds other editions) is that person.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from contest import audit
from contest.models import Edition

FORMAT = "hoithi-edition-archive"
VERSION = 1
MANIFEST = "archive.json"
USER = "auth.user"
# Accounts travel with their password hash (people log in to a restored instance as before) but
# never with site-wide rights: is_superuser and is_staff belong to an instance, not to an edition.
USER_FIELDS = (
    "password",
    "last_login",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "date_joined",
)
# Audit rows the archive round trip itself adds; they are not part of the edition's history.
OWN_ACTIONS = ("edition.exported", "edition.imported")


class ArchiveError(Exception):
    """The archive cannot be read or imported; the message says why (nothing was written)."""


def _banks(edition):
    from quizzes.models import Bank, BlueprintRule, PaperItem

    used = PaperItem.objects.filter(paper__edition=edition).values("question__bank_id")
    drawn = BlueprintRule.objects.filter(paper__edition=edition).values("bank_id")
    return Bank.objects.filter(Q(edition=edition) | Q(pk__in=used) | Q(pk__in=drawn))


def _tags(edition):
    from quizzes.models import BlueprintRule, Tag

    rule_tags = BlueprintRule.tags.through.objects.filter(blueprintrule__paper__edition=edition)
    return Tag.objects.filter(
        Q(questions__bank__in=_banks(edition)) | Q(pk__in=rule_tags.values("tag_id"))
    ).distinct()


def _by(path: str) -> Callable:
    return lambda model, edition: model.objects.filter(**{path: edition})


def _in_banks(path: str) -> Callable:
    return lambda model, edition: model.objects.filter(**{f"{path}__in": _banks(edition)})


# (model label, rows of the edition). Order = insertion order: a row's foreign keys point at
# earlier parts, except those filled in after every row exists (see _deferred).
PARTS: tuple[tuple[str, Callable], ...] = (
    ("contest.edition", lambda model, edition: model.objects.filter(pk=edition.pk)),
    ("contest.cluster", _by("edition")),
    ("contest.unit", _by("edition")),
    ("contest.person", lambda model, edition: model.objects.filter(registrations__edition=edition)),
    ("contest.team", _by("edition")),
    ("contest.registration", _by("edition")),
    ("contest.rolegrant", _by("edition")),
    ("quizzes.tag", lambda model, edition: _tags(edition)),
    ("quizzes.bank", lambda model, edition: _banks(edition)),
    ("quizzes.category", _in_banks("bank")),
    ("quizzes.question", _in_banks("bank")),
    ("quizzes.questionversion", _in_banks("question__bank")),
    ("quizzes.questionmedia", _in_banks("bank")),
    ("quizzes.paper", _by("edition")),
    ("quizzes.paperitem", _by("paper__edition")),
    ("quizzes.blueprintrule", _by("paper__edition")),
    ("contest.round", _by("edition")),
    ("contest.attempt", _by("round__edition")),
    ("contest.answerupload", _by("attempt__round__edition")),
    ("contest.answerrevision", _by("attempt__round__edition")),
    ("contest.attemptevent", _by("round__edition")),
    ("contest.roundboard", _by("round__edition")),
    ("contest.editionscoring", _by("edition")),
    ("contest.prizedecision", _by("edition")),
    ("contest.roundjudging", _by("round__edition")),
    ("contest.rubric", _by("round__edition")),
    ("contest.mark", _by("attempt__round__edition")),
    ("contest.appeal", _by("attempt__round__edition")),
    ("contest.appealrecommendation", _by("appeal__attempt__round__edition")),
    ("contest.scoreadjustment", _by("attempt__round__edition")),
    ("contest.keyfix", _by("round__edition")),
    ("contest.signoff", _by("round__edition")),
    ("contest.certificate", _by("edition")),
    ("contest.auditlog", lambda model, edition: model.objects.filter(edition_id=edition.pk)),
)
# Not edition data: personal secrets, and the round clock's process lease.
NOT_ARCHIVED = ("contest.apitoken", "contest.roundclocklease")


# --- Ids inside values ---------------------------------------------------------------------------

Mapper = Callable[[str, object], object]  # (model label, id) -> id in the other numbering, or None


def _snapshot(value, row, ids: Mapper):
    if not isinstance(value, dict):
        return value
    paper = dict(value)
    if "paper_id" in paper:
        paper["paper_id"] = ids("quizzes.paper", paper["paper_id"])
    paper["slots"] = [
        {
            **slot,
            "question_id": ids("quizzes.question", slot.get("question_id")),
            "version_id": ids("quizzes.questionversion", slot.get("version_id")),
        }
        for slot in paper.get("slots", [])
    ]
    return paper


def _prize_ids(value, row, ids: Mapper):
    label = "contest.team" if row.get("scope") == "team" else "contest.registration"
    return [ids(label, pk) for pk in value or []]


_VIEW_LABELS = {"individual": "contest.registration", "team": "contest.team", "unit": "contest.unit"}


def _frozen_rows(value, row, ids: Mapper):
    if not isinstance(value, dict):
        return value
    return {
        view: [
            {**item, "id": ids(_VIEW_LABELS[view], item.get("id"))} if view in _VIEW_LABELS else item
            for item in items
        ]
        for view, items in value.items()
    }


def _audit_object(value, row, ids: Mapper):
    """The audited object's id, when it is an archived row or an account; any other kind of
    object (outside the edition) keeps its id as written, for the record."""
    if not value or not str(value).isdigit() or row.get("object_type") not in {*dict(PARTS), USER}:
        return value
    mapped = ids(row["object_type"], int(value))
    return "" if mapped is None else str(mapped)


def _uploaded(value, row, ids: Mapper):
    """A practical task's answer names its uploaded file ({"upload_id": n})."""
    if not isinstance(value, dict) or "upload_id" not in value:
        return value
    return {**value, "upload_id": ids("contest.answerupload", value["upload_id"])}


def _plain(label: str):
    return lambda value, row, ids: ids(label, value)


USER_ID_VALUES = (("contest.prizedecision", "decided_by_id"), ("contest.auditlog", "actor_id"))
VALUE_IDS: dict[tuple[str, str], Callable] = {
    ("contest.attempt", "paper"): _snapshot,
    ("contest.answerrevision", "response"): _uploaded,
    ("contest.prizedecision", "tied"): _prize_ids,
    ("contest.prizedecision", "awarded"): _prize_ids,
    ("contest.prizedecision", "decided_by_id"): _plain(USER),
    ("contest.roundboard", "frozen_rows"): _frozen_rows,
    ("contest.auditlog", "actor_id"): _plain(USER),
    ("contest.auditlog", "edition_id"): _plain("contest.edition"),
    ("contest.auditlog", "object_id"): _audit_object,
    ("contest.rubric", "question_id"): _plain("quizzes.question"),
    ("contest.keyfix", "question_id"): _plain("quizzes.question"),
    ("contest.keyfix", "version_id"): _plain("quizzes.questionversion"),
}


# --- Values --------------------------------------------------------------------------------------


def _jsonable(value):
    """Exact text for what JSON has no type for: full microseconds, Decimal digits as stored."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _fields(model):
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _media_name(media) -> str:
    return f"media/{media.sha256}{media.extension}"


@dataclass
class _Numbering:
    """Database id <-> archive id per model label."""

    to_archive: dict[str, dict[int, int]]

    def __call__(self, label: str, pk):
        return None if pk is None else self.to_archive.get(label, {}).get(pk)


# --- Export --------------------------------------------------------------------------------------


def _user_ids(rows_by_label: dict[str, list]) -> list[int]:
    """Every account the edition's rows point at: foreign keys and the raw ids of USER_ID_VALUES."""
    found: set[int] = set()
    for label, rows in rows_by_label.items():
        model = apps.get_model(label)
        names = [f.attname for f in _fields(model) if f.is_relation and f.related_model is get_user_model()]
        names += [name for owner, name in USER_ID_VALUES if owner == label]
        for row in rows:
            found.update(getattr(row, name) for name in names)
    found.discard(None)
    return sorted(found)


def _m2m(model, field, pks: list[int]) -> dict[int, list[int]]:
    """One query per many-to-many field for all rows (not one per row)."""
    through = field.remote_field.through
    source = field.m2m_field_name()
    target = field.m2m_reverse_field_name()
    links: dict[int, list[int]] = {}
    for owner, other in through.objects.filter(**{f"{source}__in": pks}).values_list(source, target):
        links.setdefault(owner, []).append(other)
    return links


def build_archive(edition) -> bytes:
    """The edition as archive bytes. Reads only; deterministic for the same data."""
    rows_by_label = {
        label: list(rows(apps.get_model(label), edition).order_by("pk")) for label, rows in PARTS
    }
    users = list(get_user_model().objects.filter(pk__in=_user_ids(rows_by_label)).order_by("pk"))
    numbering = _Numbering({USER: {u.pk: n for n, u in enumerate(users, 1)}})
    for label, rows in rows_by_label.items():
        numbering.to_archive[label] = {row.pk: n for n, row in enumerate(rows, 1)}
    document = {
        "format": FORMAT,
        "version": VERSION,
        "edition": edition.slug,
        "users": [
            {"id": n, **{name: _jsonable(getattr(u, name)) for name in USER_FIELDS}}
            for n, u in enumerate(users, 1)
        ],
        "models": {},
    }
    media: dict[str, bytes] = {}
    for label, rows in rows_by_label.items():
        model = apps.get_model(label)
        links = {f.name: _m2m(model, f, [row.pk for row in rows]) for f in model._meta.many_to_many}
        document["models"][label] = [_dump_row(label, row, numbering, media, links) for row in rows]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _write(archive, MANIFEST, json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1).encode())
        for name in sorted(media):
            _write(archive, name, media[name])
    return buffer.getvalue()


def _write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def _dump_row(label: str, row, numbering: _Numbering, media: dict, links: dict) -> dict:
    model = type(row)
    out = {"id": numbering(label, row.pk)}
    for field in _fields(model):
        value = field.value_from_object(row)
        if field.is_relation:
            target = field.related_model._meta.label_lower
            out[field.name] = numbering(target, value)
        elif isinstance(field, models.FileField):
            name = _media_name(row)
            with field.value_from_object(row).open("rb") as handle:
                media[name] = handle.read()
            out[field.name] = name
        else:
            out[field.name] = _jsonable(value)
    for name, fn in VALUE_IDS.items():
        if name[0] == label:
            out[name[1]] = fn(out[name[1]], out, numbering)
    for field in model._meta.many_to_many:
        target = field.related_model._meta.label_lower
        out[field.name] = sorted(numbering(target, pk) for pk in links[field.name].get(row.pk, []))
    return out


def export_edition(*, edition, actor=None, now=None, ip=None) -> bytes:
    """The archive bytes, audited as ``edition.exported`` (written after the archive is built,
    so the archive never holds its own export row)."""
    content = build_archive(edition)
    audit.record(action="edition.exported", actor=actor, actor_role="command" if actor is None else "",
                 edition=edition, obj=edition, after={"bytes": len(content)}, ip=ip, now=now)  # fmt: skip
    return content


# --- Import --------------------------------------------------------------------------------------


def read_archive(content: bytes) -> tuple[dict, dict[str, bytes]]:
    """The manifest and the media files; :class:`ArchiveError` when this is not an archive."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            document = json.loads(archive.read(MANIFEST))
            media = {name: archive.read(name) for name in archive.namelist() if name.startswith("media/")}
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ArchiveError(
            _("Tệp không phải bản lưu trữ kỳ thi của Hội Thi (%(error)s).") % {"error": error}
        ) from None
    if document.get("format") != FORMAT or document.get("version") != VERSION:
        raise ArchiveError(
            _("Bản lưu trữ không đúng định dạng hoặc phiên bản (cần %(f)s %(v)d).")
            % {"f": FORMAT, "v": VERSION}
        )
    return document, media


@contextmanager
def _stored_times():
    """Keep the archived created/updated times: auto_now and auto_now_add would overwrite them."""
    switched = []
    for label, _rows in PARTS:
        for field in apps.get_model(label)._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                switched.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in switched:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class _Remap:
    """Archive id -> new database id per model label, filled as rows are created."""

    def __init__(self):
        self.to_db: dict[str, dict[int, int]] = {}

    def __call__(self, label: str, archive_id):
        return None if archive_id is None else self.to_db.get(label, {}).get(archive_id)


def _check(document: dict, slug: str) -> None:
    from quizzes.models import Bank

    if Edition.objects.filter(slug=slug).exists():
        raise ArchiveError(
            _("Đã có kỳ hội thi mã “%(slug)s”; hãy nhập với mã khác (--slug).") % {"slug": slug}
        )
    shared = [row["name"] for row in document["models"].get("quizzes.bank", []) if row.get("edition") is None]
    if clash := sorted(
        Bank.objects.filter(edition__isnull=True, name__in=shared).values_list("name", flat=True)
    ):
        raise ArchiveError(
            _("Đã có ngân hàng dùng chung trùng tên: %(names)s.") % {"names": ", ".join(clash)}
        )
    unknown = set(document["models"]) - set(dict(PARTS))
    if unknown:
        raise ArchiveError(
            _("Bản lưu trữ có dữ liệu không nhận ra: %(labels)s.") % {"labels": ", ".join(sorted(unknown))}
        )


def _import_users(document: dict, remap: _Remap) -> None:
    user_model = get_user_model()
    existing = dict(
        user_model.objects.filter(username__in=[u["username"] for u in document["users"]]).values_list(
            "username", "pk"
        )
    )
    remap.to_db[USER] = {}
    for row in document["users"]:
        if row["username"] not in existing:
            fields = {name: _field_value(user_model, name, row[name]) for name in USER_FIELDS}
            existing[row["username"]] = user_model.objects.create(**fields).pk
        remap.to_db[USER][row["id"]] = existing[row["username"]]


def _field_value(model, name: str, value):
    field = model._meta.get_field(name)
    if value is None or isinstance(field, models.JSONField):
        return value
    return field.to_python(value)


def _deferred(label: str, field, order: list[str]) -> bool:
    """A key to the same or a later part: set once every row exists."""
    target = field.related_model._meta.label_lower
    return target in order and order.index(target) >= order.index(label)


def _import_part(
    label: str, rows: list[dict], remap: _Remap, media: dict, order: list[str], later: list
) -> None:
    model = apps.get_model(label)
    reuse = REUSE[label](rows, remap) if label in REUSE else {}
    objects, ids = [], []
    for row in rows:
        if row["id"] in reuse:
            remap.to_db.setdefault(label, {})[row["id"]] = reuse[row["id"]]
            continue
        values = dict(row)
        for (owner, name), fn in VALUE_IDS.items():
            if owner == label:
                values[name] = fn(values[name], values, remap)
        obj = model()
        for field in _fields(model):
            value = values.get(field.name)
            if field.is_relation:
                if _deferred(label, field, order):
                    if value is not None:
                        later.append((label, row["id"], field, value))
                    value = None
                else:
                    value = remap(field.related_model._meta.label_lower, value)
                setattr(obj, field.attname, value)
            elif isinstance(field, models.FileField):
                continue
            else:
                setattr(obj, field.attname, _field_value(model, field.name, value))
        for field in _fields(model):
            if isinstance(field, models.FileField):
                getattr(obj, field.name).save(
                    values[field.name].split("/")[-1], ContentFile(media[values[field.name]]), save=False
                )
        objects.append(obj)
        ids.append(row["id"])
    _fresh_secrets(model, objects)
    created = model.objects.bulk_create(objects, batch_size=500)
    remap.to_db.setdefault(label, {}).update(
        (archive_id, obj.pk) for archive_id, obj in zip(ids, created, strict=True)
    )


def _fresh_secrets(model, objects: list) -> None:
    """Unique tokens (a public board link, a certificate code) already used in this instance,
    by the edition the archive came from: a copy gets new ones from the field's default."""
    for field in _fields(model):
        if not field.unique or field.is_relation or field.name == "slug":
            continue
        values = [getattr(obj, field.attname) for obj in objects]
        taken = set(model.objects.filter(**{f"{field.name}__in": values}).values_list(field.name, flat=True))
        if not taken:
            continue
        if not callable(field.default):
            raise ArchiveError(
                _("Giá trị %(field)s đã có trong hệ thống: %(values)s.")
                % {"field": field.name, "values": ", ".join(map(str, sorted(taken)))}
            )
        for obj in objects:
            if getattr(obj, field.attname) in taken:
                setattr(obj, field.attname, field.default())


def _existing_people(rows: list[dict], remap: _Remap) -> dict[int, int]:
    """People whose account already has a person in this instance: the same person."""
    from contest.models import Person

    accounts = {row["id"]: remap(USER, row["user"]) for row in rows if row.get("user") is not None}
    people = dict(Person.objects.filter(user_id__in=accounts.values()).values_list("user_id", "pk"))
    return {archive_id: people[user_id] for archive_id, user_id in accounts.items() if user_id in people}


def _existing_tags(rows: list[dict], remap: _Remap) -> dict[int, int]:
    """Tags are shared by every bank of the instance (unique names): reuse them by name."""
    from quizzes.models import Tag

    tags = dict(Tag.objects.filter(name__in=[row["name"] for row in rows]).values_list("name", "pk"))
    return {row["id"]: tags[row["name"]] for row in rows if row["name"] in tags}


REUSE = {"contest.person": _existing_people, "quizzes.tag": _existing_tags}


def _link_many(document: dict, remap: _Remap) -> None:
    for label, rows in document["models"].items():
        model = apps.get_model(label)
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            target = field.related_model._meta.label_lower
            source, other = field.m2m_field_name(), field.m2m_reverse_field_name()
            through.objects.bulk_create(
                [
                    through(**{f"{source}_id": remap(label, row["id"]), f"{other}_id": remap(target, pk)})
                    for row in rows
                    for pk in row.get(field.name, [])
                ],
                batch_size=1000,
            )


def import_edition(*, content: bytes, slug: str | None = None, actor=None, now=None, ip=None):
    """Create the archived edition (under ``slug`` if given) in one transaction; audited as
    ``edition.imported``. Refuses an existing slug or a clashing shared bank name, changing nothing."""
    document, media = read_archive(content)
    slug = slug or document["edition"]
    _check(document, slug)
    order = [label for label, _rows in PARTS if label in document["models"]]
    remap, later = _Remap(), []
    with transaction.atomic(), _stored_times():
        _import_users(document, remap)
        for label in order:
            rows = document["models"][label]
            if label == "contest.edition":
                rows = [{**row, "slug": slug} for row in rows]
            _import_part(label, rows, remap, media, order, later)
        for label, archive_id, field, value in later:
            model = apps.get_model(label)
            model.objects.filter(pk=remap(label, archive_id)).update(
                **{field.attname: remap(field.related_model._meta.label_lower, value)}
            )
        _link_many(document, remap)
        edition = Edition.objects.get(slug=slug)
        audit.record(action="edition.imported", actor=actor, actor_role="command" if actor is None else "",
                     edition=edition, obj=edition, after={"from": document["edition"]}, ip=ip, now=now)  # fmt: skip
    return edition


def comparable(content: bytes) -> dict:
    """The archive's data without the rows the export and import themselves add (for tests
    and for checking a restore by hand)."""
    document, media = read_archive(content)
    audit_rows = document["models"].get("contest.auditlog", [])
    document["models"]["contest.auditlog"] = [row for row in audit_rows if row["action"] not in OWN_ACTIONS]
    return {"document": document, "media": media}
