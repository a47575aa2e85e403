"""Reads of question banks for the authoring pages, the exporters and the commands.

Search is accent- and case-insensitive: the query is folded like ``Question.search_text``
("tin hoc" finds "tin học"), and every word must occur.
"""

from django.db.models import Count, Prefetch, Q, QuerySet

from contest.vietnamese import fold_spaces

from .content import stem_fingerprint
from .models import Bank, Category, Question, Tag


def list_banks(*, edition=None, include_shared: bool = True) -> QuerySet[Bank]:
    """Banks of ``edition`` (and shared banks), with their live question counts."""
    banks = Bank.objects.all()
    if edition is not None:
        condition = Q(edition=edition) | Q(edition__isnull=True) if include_shared else Q(edition=edition)
        banks = banks.filter(condition)
    return banks.annotate(question_count=Count("questions", filter=Q(questions__is_archived=False)))


def get_bank(*, name: str, edition=None) -> Bank | None:
    return Bank.objects.filter(name=name, edition=edition).first()


def list_questions(
    *,
    bank: Bank,
    search: str = "",
    category: Category | None = None,
    include_subcategories: bool = True,
    tags=(),
    qtype: str = "",
    include_archived: bool = False,
) -> QuerySet[Question]:
    """Questions of ``bank`` filtered by folded text, category, tags (all of them) and type.

    Current versions, category and tags are fetched up front (no N+1 in a list page).
    """
    questions = Question.objects.filter(bank=bank)
    if not include_archived:
        questions = questions.filter(is_archived=False)
    for word in fold_spaces(search).split():
        questions = questions.filter(search_text__contains=word)
    if category is not None:
        ids = category_ids_below(category) if include_subcategories else [category.pk]
        questions = questions.filter(category_id__in=ids)
    for tag in tags:
        questions = questions.filter(tags=tag) if isinstance(tag, Tag) else questions.filter(tags__name=tag)
    if qtype:
        questions = questions.filter(qtype=qtype)
    return (
        questions.select_related("current_version", "category")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("kind", "name")))
        .order_by("id")
        .distinct()
    )


def list_exportable(*, bank: Bank) -> QuerySet[Question]:
    """Every live question of ``bank`` in a stable order, for exports."""
    return list_questions(bank=bank).select_related("category__parent")


def category_ids_below(category: Category) -> list[int]:
    """``category`` and all its descendants (one query per tree level)."""
    ids, frontier = [category.pk], [category.pk]
    while frontier:
        frontier = list(Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids += frontier
    return ids


def category_path(category: Category | None) -> list[str]:
    """["IU03", "Định dạng"] for a category, root first."""
    path = []
    while category is not None:
        path.append(category.name)
        category = category.parent
    return path[::-1]


def list_categories(*, bank: Bank) -> list[tuple[Category, list[str]]]:
    """Every category of ``bank`` with its path, ordered by path (for pickers)."""
    categories = {c.pk: c for c in Category.objects.filter(bank=bank)}
    for category in categories.values():
        category.parent = categories.get(category.parent_id)
    rows = [(c, category_path(c)) for c in categories.values()]
    return sorted(rows, key=lambda row: [fold_spaces(part) for part in row[1]])


def find_duplicates(*, bank: Bank, stem_html: str, exclude_id: int | None = None) -> QuerySet[Question]:
    """Questions of ``bank`` whose stem matches ignoring accents, case and spacing."""
    questions = Question.objects.filter(
        bank=bank, stem_fingerprint=stem_fingerprint(stem_html), is_archived=False
    ).select_related("current_version")
    return questions.exclude(pk=exclude_id) if exclude_id else questions
