"""Services that file questions (categories, tags, bulk moves), create banks and accept
uploaded images from the authoring pages. Content writes (create, edit, import) are in
``quizzes.services``; this module reuses its helpers so tags and categories are made the
same way everywhere.

Every function validates first, writes in one short transaction with an audit row, and
emits no events (bank changes are not live data).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.audit import record

from . import services
from .content import canonical_tag
from .models import Bank, Category, Question, QuestionMedia
from .services import QuestionInvalid


@transaction.atomic
def create_bank(*, edition, name: str, description: str = "", actor=None, now=None) -> Bank:
    """A new bank in ``edition``. Raises QuestionInvalid when the name is empty or taken.

    Opens a transaction; audit ``bank.created`` (by ``services.get_or_create_bank``).
    """
    clean = " ".join((name or "").split())
    if clean and Bank.objects.filter(edition=edition, name=clean).exists():
        raise QuestionInvalid([_("Kỳ hội thi này đã có ngân hàng “%(name)s”.") % {"name": clean}])
    bank, _created = services.get_or_create_bank(
        name=clean, edition=edition, description=description.strip(), actor=actor, now=now
    )
    return bank


def ensure_category(*, bank: Bank, path: list[str]) -> Category | None:
    """The category at ``path`` in ``bank`` (created with its parents when missing)."""
    path = [" ".join(part.split()) for part in path if part.strip()]
    if not path:
        return None
    return services._categories_for(bank, {tuple(path)})[tuple(path)]


@transaction.atomic
def file_question(
    *, question: Question, category: Category | None, tag_names, idnumber: str, actor=None, now=None
):
    """Set a question's category, tags (replacing them) and id number.

    Preconditions: ``category`` belongs to the question's bank. Opens a transaction; audit
    ``question.filed``; no events.
    """
    if category is not None and category.bank_id != question.bank_id:
        raise QuestionInvalid([_("Danh mục không thuộc ngân hàng này.")])
    before = _filing(question)
    question.category = category
    question.idnumber = (idnumber or "").strip()[:100]
    question.save(update_fields=["category", "idnumber", "updated_at"])
    question.tags.set(
        services._tags_for({canonical_tag(name) for name in tag_names if name.strip()}).values()
    )
    after = _filing(question)
    if before != after:
        record(
            action="question.filed",
            actor=actor,
            edition=question.bank.edition_id,
            obj=question,
            before=before,
            after=after,
            now=now,
        )


def _filing(question: Question) -> dict:
    return {
        "category": question.category_id,
        "idnumber": question.idnumber,
        "tags": sorted(question.tags.values_list("name", flat=True)),
    }


def _questions_of(bank: Bank, question_ids) -> list[int]:
    ids = [int(pk) for pk in question_ids]
    found = list(Question.objects.filter(bank=bank, pk__in=ids).values_list("pk", flat=True))
    if len(found) != len(set(ids)):
        raise QuestionInvalid([_("Có câu hỏi không thuộc ngân hàng này.")])
    if not found:
        raise QuestionInvalid([_("Chưa chọn câu hỏi nào.")])
    return found


@transaction.atomic
def tag_questions(*, bank: Bank, question_ids, add=(), remove=(), actor=None, now=None) -> int:
    """Add and remove tags on several questions of ``bank`` at once; returns how many.

    Opens a transaction; one audit row ``bank.questions_tagged``; no events.
    """
    ids = _questions_of(bank, question_ids)
    add_tags = services._tags_for({canonical_tag(name) for name in add if name.strip()}).values()
    remove_names = {canonical_tag(name) for name in remove if name.strip()}
    if not add_tags and not remove_names:
        raise QuestionInvalid([_("Hãy nhập nhãn cần gắn hoặc gỡ.")])
    through = Question.tags.through
    if remove_names:
        through.objects.filter(question_id__in=ids, tag__name__in=remove_names).delete()
    through.objects.bulk_create(
        [through(question_id=pk, tag_id=tag.pk) for pk in ids for tag in add_tags], ignore_conflicts=True
    )
    Question.objects.filter(pk__in=ids).update(updated_at=now or timezone.now())
    record(
        action="bank.questions_tagged",
        actor=actor,
        edition=bank.edition_id,
        obj=bank,
        after={"questions": ids, "added": sorted(t.name for t in add_tags), "removed": sorted(remove_names)},
        now=now,
    )
    return len(ids)


@transaction.atomic
def move_questions(*, bank: Bank, question_ids, category: Category | None, actor=None, now=None) -> int:
    """Move several questions of ``bank`` into ``category`` (None: no category).

    Opens a transaction; one audit row ``bank.questions_moved``; no events.
    """
    if category is not None and category.bank_id != bank.pk:
        raise QuestionInvalid([_("Danh mục không thuộc ngân hàng này.")])
    ids = _questions_of(bank, question_ids)
    Question.objects.filter(pk__in=ids).update(category=category, updated_at=now or timezone.now())
    record(
        action="bank.questions_moved",
        actor=actor,
        edition=bank.edition_id,
        obj=bank,
        after={"questions": ids, "category": category.pk if category else None},
        now=now,
    )
    return len(ids)


@transaction.atomic
def upload_media(*, bank: Bank, data: bytes, name: str, actor=None, now=None) -> QuestionMedia:
    """Store an uploaded image for ``bank``'s questions after checking its real type (PNG,
    JPEG, GIF or WebP by magic bytes, whatever the file name says) and size.

    Raises QuestionInvalid. Opens a transaction; audit ``bank.media_uploaded``; no events.
    Stem HTML then refers to it as ``<img src="media:<sha256>">``.
    """
    errors = services._check_media({name: (data, "", name)})
    if errors:
        raise QuestionInvalid(errors)
    media = services.store_media(bank=bank, data=data, name=name)
    record(
        action="bank.media_uploaded",
        actor=actor,
        edition=bank.edition_id,
        obj=bank,
        after={"sha256": media.sha256, "name": media.original_name, "size": media.size},
        now=now,
    )
    return media
