"""What the text exporters share: the bank's questions in a stable order with their category
paths and tags, and number formatting that the importers read back exactly."""

from dataclasses import dataclass

from ..models import Category, Question, QuestionVersion


@dataclass
class ExportItem:
    question: Question
    version: QuestionVersion
    category: list[str]
    tags: list[str]


def export_items(bank) -> list[ExportItem]:
    """Live questions of ``bank`` by id, each with its current version, category path and tags."""
    categories = {c.pk: c for c in Category.objects.filter(bank=bank)}

    def path(category_id) -> list[str]:
        names = []
        while category_id is not None and category_id in categories:
            names.append(categories[category_id].name)
            category_id = categories[category_id].parent_id
        return names[::-1]

    questions = (
        Question.objects.filter(bank=bank, is_archived=False, current_version__isnull=False)
        .select_related("current_version")
        .prefetch_related("tags")
        .order_by("id")
    )
    return [
        ExportItem(q, q.current_version, path(q.category_id), [t.name for t in q.tags.all()])
        for q in questions
    ]


def number(value: float) -> str:
    """Shortest text that reads back as the same float ("3.14", "1822", "0.0005")."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def percent(fraction: float) -> str:
    """A fraction as Moodle's percent weight: 0.5 -> "50", 1/3 -> "33.33333"."""
    text = f"{float(fraction) * 100:.7f}".rstrip("0").rstrip(".")
    return "0" if text in {"", "-0"} else text


def moodle_category(path: list[str]) -> str:
    """["IU03", "A/B"] -> "$course$/top/IU03/A//B" (a "/" inside a name is doubled)."""
    return "/".join(["$course$", "top", *(name.replace("/", "//") for name in path)])
