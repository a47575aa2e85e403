"""Every write to question banks: import, create, edit (versioned), freeze, banks.

Services validate first and write in one short transaction; audit rows are written inside
it (``contest.audit.record``) so they commit or roll back with the change. No events are
published: bank changes are not live data.
"""

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.audit import record

from . import question_types
from .content import canonical_tag, clean_definition, search_text, stem_fingerprint, tag_kind
from .html import sanitise
from .importers.base import ImportIssue, ParsedQuestion, ParseResult
from .models import Bank, Category, Question, QuestionMedia, QuestionVersion, Tag

MAX_IMAGE_BYTES = 2 * 1024 * 1024
_IMAGE_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}
BULK_BATCH = 500
MAX_STEM_CHARS = 100_000
MAX_DEFINITION_CHARS = 200_000


class QuestionInvalid(ValueError):
    """A question that cannot be saved; ``errors`` are translated messages."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class ImportReport:
    """The outcome of an import (or of :func:`check_import`, its dry run).

    ``written`` is False when nothing was written: there were errors and the skip choice
    was not made, or it was a dry run. ``errors`` and ``warnings`` carry line numbers.
    """

    bank: Bank
    format: str
    total: int
    written: bool = False
    imported: int = 0
    skipped_indexes: list[int] = field(default_factory=list)
    by_type: dict[str, int] = field(default_factory=dict)
    errors: list[ImportIssue] = field(default_factory=list)
    warnings: list[ImportIssue] = field(default_factory=list)
    question_ids: list[int] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    @property
    def refused(self) -> bool:
        """The whole file is refused (unreadable, too large, unsafe): nothing can be skipped."""
        return any(i.question_index is None and i.line is None for i in self.errors)

    @property
    def invalid_count(self) -> int:
        """Questions that will be skipped: invalid ones plus blocks that did not parse at all."""
        unparsed = {i.line for i in self.errors if i.question_index is None and i.line is not None}
        return len(self.skipped_indexes) + len(unparsed)


# --- Validation shared by import, create and update -------------------------------------


def check_question(
    *, qtype: str, name: str, stem_html: str, definition, default_points=Decimal("1")
) -> list[str]:
    """Translated errors for one question's content; empty when it can be saved."""
    errors = list(question_types.validate_definition(qtype, definition))
    if not name.strip():
        errors.append(_("Câu hỏi chưa có tên."))
    elif len(name) > 255:
        errors.append(_("Tên câu hỏi dài quá 255 ký tự."))
    if len(stem_html) > MAX_STEM_CHARS or len(json.dumps(definition, default=str)) > MAX_DEFINITION_CHARS:
        errors.append(_("Câu hỏi quá dài; hãy rút gọn nội dung hoặc các phương án."))
    elif not sanitise(stem_html).strip() and qtype != "description":
        errors.append(_("Nội dung câu hỏi để trống."))
    try:
        points = Decimal(str(default_points))
    except ArithmeticError:
        points = Decimal("-1")
    if not points.is_finite() or points < 0 or points > Decimal("99999"):
        errors.append(_("Điểm mặc định không hợp lệ."))
    return errors


def _check_media(media: dict) -> list[str]:
    errors = []
    for key, (data, _type, name) in media.items():
        if len(data) > MAX_IMAGE_BYTES:
            errors.append(_("Ảnh %(name)s lớn quá 2 MB.") % {"name": name or key})
        elif _sniff_image(data) is None:
            errors.append(_("Tệp %(name)s không phải ảnh PNG, JPEG, GIF hoặc WebP.") % {"name": name or key})
    return errors


def _sniff_image(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for magic, kind in _IMAGE_MAGIC.items() if data.startswith(magic)), None)


# --- Import -----------------------------------------------------------------------------


def check_import(*, bank: Bank, result: ParseResult) -> ImportReport:
    """Dry run of :func:`import_questions`: every error and warning, nothing written.

    Adds to the parser's issues: content errors (an invalid definition, a bad image) and
    duplicate warnings (same stem, ignoring accents, case and spacing, already in the bank
    or earlier in the same file). The preview page shows exactly this report.
    """
    report = ImportReport(bank=bank, format=result.format, total=len(result.questions))
    report.errors = list(result.errors)
    report.warnings = list(result.warnings)
    # A question the parser already refused is not checked again: its first error explains
    # it, and a second, derived message ("needs a correct option") would only confuse.
    parser_invalid = result.invalid_indexes()
    for index, parsed in enumerate(result.questions):
        if index in parser_invalid:
            continue
        for message in check_question(
            qtype=parsed.qtype,
            name=parsed.name,
            stem_html=parsed.stem_html,
            definition=parsed.definition,
            default_points=parsed.default_points,
        ) + _check_media(parsed.media):
            report.errors.append(ImportIssue(parsed.line, message, "error", index))
    report.warnings += _duplicate_warnings(bank, result.questions)
    report.errors.sort(key=_issue_order)
    report.warnings.sort(key=_issue_order)
    invalid = {i.question_index for i in report.errors if i.question_index is not None}
    report.skipped_indexes = sorted(invalid)
    report.by_type = dict(
        Counter(q.qtype for index, q in enumerate(result.questions) if index not in invalid)
    )
    return report


def _issue_order(issue: ImportIssue):
    return (issue.line is None, issue.line or 0)


def _duplicate_warnings(bank: Bank, questions: list[ParsedQuestion]) -> list[ImportIssue]:
    prints = [stem_fingerprint(q.stem_html) for q in questions]
    existing = set(
        Question.objects.filter(bank=bank, stem_fingerprint__in=set(prints), is_archived=False).values_list(
            "stem_fingerprint", flat=True
        )
    )
    seen: dict[str, ParsedQuestion] = {}
    warnings = []
    for index, (parsed, fingerprint) in enumerate(zip(questions, prints, strict=True)):
        if parsed.qtype == "description":
            continue
        if fingerprint in existing:
            message = _("Có thể trùng: ngân hàng đã có câu hỏi cùng nội dung.")
            warnings.append(ImportIssue(parsed.line, message, "warning", index))
        elif fingerprint in seen:
            first = seen[fingerprint]
            message = _("Có thể trùng với câu hỏi bắt đầu ở vị trí %(line)s của tệp.") % {
                "line": first.line or "?"
            }
            warnings.append(ImportIssue(parsed.line, message, "warning", index))
        else:
            seen[fingerprint] = parsed
    return warnings


def import_questions(
    *, bank: Bank, result: ParseResult, skip_invalid: bool, actor=None, now=None, audit: bool = True
) -> ImportReport:
    """Write a parsed file into ``bank``: all or nothing, or the valid ones when chosen.

    With any error and ``skip_invalid`` False nothing is written (``report.written`` False).
    With ``skip_invalid`` the questions named by errors are skipped and the rest written;
    file-level errors (no line and no question, e.g. an unreadable file) stop everything.
    One transaction; bulk inserts; categories from ``category_path``, tags created as
    needed, images stored once per bank through the default storage; one audit row
    ``bank.imported`` (``audit=False`` only for system seeding such as the demo bank, which
    is nobody's action). Emits no events.
    """
    now = now or timezone.now()
    report = check_import(bank=bank, result=result)
    # An error with neither a line nor a question (unreadable file, zip bomb) refuses the
    # whole file; a block that failed to parse has a line and is skipped like a question.
    if (report.errors and not skip_invalid) or report.refused:
        return report
    keep = [q for index, q in enumerate(result.questions) if index not in set(report.skipped_indexes)]
    if not keep:
        return report
    with transaction.atomic():
        # Category switches create their categories even when no question follows (Moodle does).
        switches = {tuple(c["path"]) for c in result.categories if c.get("path")}
        ids = _write_questions(bank, keep, actor, now, extra_paths=switches)
        if audit:
            record(
                action="bank.imported",
                actor=actor,
                edition=bank.edition_id,
                obj=bank,
                after={
                    "format": result.format,
                    "imported": len(ids),
                    "skipped": report.invalid_count,
                    "by_type": report.by_type,
                },
                now=now,
            )
    report.written = True
    report.imported = len(ids)
    report.question_ids = ids
    return report


def _write_questions(
    bank: Bank, parsed: list[ParsedQuestion], actor, now, extra_paths=frozenset()
) -> list[int]:
    paths = {tuple(q.category_path) for q in parsed if q.category_path} | set(extra_paths)
    categories = _categories_for(bank, paths)
    tags = _tags_for({canonical_tag(t) for q in parsed for t in q.tags if t.strip()})
    prepared = [_prepare(bank, q) for q in parsed]
    questions = Question.objects.bulk_create(
        [
            Question(
                bank=bank,
                category=categories.get(tuple(q.category_path)),
                qtype=q.qtype,
                idnumber=q.idnumber[:100],
                search_text=search_text(q.name, stem, definition),
                stem_fingerprint=stem_fingerprint(stem),
            )
            for q, (stem, definition, _feedback) in zip(parsed, prepared, strict=True)
        ],
        batch_size=BULK_BATCH,
    )
    QuestionVersion.objects.bulk_create(
        [
            QuestionVersion(
                question=question,
                number=1,
                qtype=q.qtype,
                name=q.name[:255],
                stem_html=stem,
                definition=definition,
                general_feedback_html=feedback,
                default_points=q.default_points,
                created_by=actor,
            )
            for question, q, (stem, definition, feedback) in zip(questions, parsed, prepared, strict=True)
        ],
        batch_size=BULK_BATCH,
    )
    # One UPDATE with a subquery: bulk_update would build a 2,000-branch CASE per batch.
    Question.objects.filter(pk__in=[q.pk for q in questions]).update(
        current_version=Subquery(
            QuestionVersion.objects.filter(question=OuterRef("pk"), number=1).values("pk")[:1]
        )
    )
    through = Question.tags.through
    through.objects.bulk_create(
        [
            through(question_id=question.pk, tag_id=tags[name].pk)
            for question, q in zip(questions, parsed, strict=True)
            for name in dict.fromkeys(canonical_tag(t) for t in q.tags if t.strip())
        ],
        batch_size=BULK_BATCH,
    )
    return [q.pk for q in questions]


def _prepare(bank: Bank, parsed: ParsedQuestion) -> tuple[str, dict, str]:
    """Sanitised stem, definition and feedback, with media:<key> refs pointing at stored images."""
    refs = {
        key: store_media(bank=bank, data=data, name=name) for key, (data, _t, name) in parsed.media.items()
    }

    def relink(html: str) -> str:
        if not refs:
            return html
        return re.sub(
            r'src="media:([A-Za-z0-9._-]+)"',
            lambda m: f'src="media:{refs[m.group(1)].sha256}"' if m.group(1) in refs else m.group(0),
            html,
        )

    definition = clean_definition(parsed.definition)
    if refs:
        definition = _map_html(definition, relink)
    stem, feedback = sanitise(parsed.stem_html).strip(), sanitise(parsed.general_feedback_html).strip()
    return relink(stem), definition, relink(feedback)


def _map_html(value, fn):
    if isinstance(value, dict):
        return {
            k: fn(v) if k == "html" and isinstance(v, str) else _map_html(v, fn) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_map_html(v, fn) for v in value]
    return value


def store_media(*, bank: Bank, data: bytes, name: str = "") -> QuestionMedia:
    """Store an image once per bank (by SHA-256) through the default storage.

    Preconditions: the caller checked type and size (:func:`check_import` does). Stem HTML
    refers to it as ``src="media:<sha256>"``; the render filter turns that into the
    authorised media view's URL.
    """
    digest = hashlib.sha256(data).hexdigest()
    existing = QuestionMedia.objects.filter(bank=bank, sha256=digest).first()
    if existing:
        return existing
    media = QuestionMedia(
        bank=bank,
        content_type=_sniff_image(data) or "application/octet-stream",
        size=len(data),
        sha256=digest,
        original_name=(name or "")[:255],
    )
    media.file.save(f"{digest}{media.extension}", ContentFile(data), save=False)
    media.save()
    return media


def _categories_for(bank: Bank, paths: set[tuple[str, ...]]) -> dict[tuple[str, ...], Category]:
    """Category per path, creating the missing nodes of the tree."""
    known: dict[tuple[str, ...], Category] = {}
    for path in sorted(paths, key=len):
        parent = None
        for depth in range(1, len(path) + 1):
            prefix = path[:depth]
            if prefix not in known:
                known[prefix], _created = Category.objects.get_or_create(
                    bank=bank, parent=parent, name=prefix[-1][:200]
                )
            parent = known[prefix]
    return known


def _tags_for(names: set[str]) -> dict[str, Tag]:
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=name[:80], kind=tag_kind(name)) for name in names if name not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    return existing


# --- Authoring ------------------------------------------------------------------------


@dataclass
class QuestionContent:
    """What an author edits; passed to :func:`create_question` and :func:`update_question`."""

    qtype: str
    name: str
    stem_html: str
    definition: dict
    general_feedback_html: str = ""
    default_points: Decimal = Decimal("1")


def _clean_content(content: QuestionContent) -> QuestionContent:
    errors = check_question(
        qtype=content.qtype,
        name=content.name,
        stem_html=content.stem_html,
        definition=content.definition,
        default_points=content.default_points,
    )
    if errors:
        raise QuestionInvalid(errors)
    return QuestionContent(
        qtype=content.qtype,
        name=" ".join(content.name.split())[:255],
        stem_html=sanitise(content.stem_html).strip(),
        definition=clean_definition(content.definition),
        general_feedback_html=sanitise(content.general_feedback_html).strip(),
        default_points=Decimal(str(content.default_points)),
    )


@transaction.atomic
def create_question(
    *, bank: Bank, content: QuestionContent, category=None, tags=(), idnumber: str = "", actor=None, now=None
) -> Question:
    """Create a question with its first version. Raises QuestionInvalid (nothing written).

    Opens a transaction; audit ``question.created``; no events. Duplicates are not refused:
    callers show :func:`quizzes.selectors.find_duplicates` as a warning.
    """
    content = _clean_content(content)
    question = Question.objects.create(
        bank=bank,
        category=category,
        qtype=content.qtype,
        idnumber=idnumber[:100],
        search_text=search_text(content.name, content.stem_html, content.definition),
        stem_fingerprint=stem_fingerprint(content.stem_html),
    )
    version = _new_version(question, content, 1, actor)
    question.current_version = version
    question.save(update_fields=["current_version"])
    if tags:
        question.tags.set(_tags_for({canonical_tag(str(t)) for t in tags}).values())
    record(action="question.created", actor=actor, edition=bank.edition_id, obj=question, now=now)
    return question


def _new_version(question: Question, content: QuestionContent, number: int, actor) -> QuestionVersion:
    return QuestionVersion.objects.create(
        question=question,
        number=number,
        qtype=content.qtype,
        name=content.name,
        stem_html=content.stem_html,
        definition=content.definition,
        general_feedback_html=content.general_feedback_html,
        default_points=content.default_points,
        created_by=actor,
    )


@transaction.atomic
def update_question(*, question: Question, content: QuestionContent, actor=None, now=None) -> QuestionVersion:
    """Edit a question's content. Raises QuestionInvalid (nothing written).

    A version that a started round froze is never edited: a new version is created and
    becomes current (attempts keep theirs). An unfrozen current version is updated in
    place. The question row is locked so two editors cannot both create version n+1.
    Opens a transaction; audit ``question.updated``; no events.
    """
    content = _clean_content(content)
    question = Question.objects.select_for_update().get(pk=question.pk)
    current = question.current_version
    before = {"version": current.number, "name": current.name} if current else None
    if current is None or current.frozen_at is not None:
        number = (question.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        current = _new_version(question, content, number, actor)
    else:
        for attr in ("qtype", "name", "stem_html", "definition", "general_feedback_html", "default_points"):
            setattr(current, attr, getattr(content, attr))
        current.save(
            update_fields=[
                "qtype",
                "name",
                "stem_html",
                "definition",
                "general_feedback_html",
                "default_points",
            ]
        )
    question.current_version = current
    question.qtype = content.qtype
    question.search_text = search_text(content.name, content.stem_html, content.definition)
    question.stem_fingerprint = stem_fingerprint(content.stem_html)
    question.save(update_fields=["current_version", "qtype", "search_text", "stem_fingerprint", "updated_at"])
    record(
        action="question.updated",
        actor=actor,
        edition=question.bank.edition_id,
        obj=question,
        before=before,
        after={"version": current.number, "name": current.name},
        now=now,
    )
    return current


def freeze_versions(version_ids, now) -> int:
    """Mark versions as handed out: a contestant's paper holds them (called whenever papers
    are built, at a round's scheduling or start, or for a further attempt).

    Idempotent: already frozen versions keep their first freeze time. Runs in the caller's
    transaction; returns how many versions were newly frozen; no audit row (the round's
    ``round.started`` row covers it); no events.
    """
    return QuestionVersion.objects.filter(pk__in=list(version_ids), frozen_at__isnull=True).update(
        frozen_at=now
    )


@transaction.atomic
def get_or_create_bank(
    *, name: str, edition=None, description: str = "", actor=None, now=None, audit: bool = True
) -> tuple[Bank, bool]:
    """The bank called ``name`` in ``edition`` (None: shared), created when missing.

    Opens a transaction; audit ``bank.created`` when created (``audit=False`` only for system
    seeding); no events.
    """
    name = " ".join(name.split())
    if not name:
        raise QuestionInvalid([_("Tên ngân hàng không được để trống.")])
    bank, created = Bank.objects.get_or_create(
        edition=edition, name=name, defaults={"description": description}
    )
    if created and audit:
        record(action="bank.created", actor=actor, edition=edition, obj=bank, after={"name": name}, now=now)
    return bank, created
