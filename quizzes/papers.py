"""Building each contestant's concrete paper from a :class:`~quizzes.models.Paper`.

A paper is either a fixed list or a blueprint of draw rules. For each attempt we store a
**snapshot**: which question versions, in which order, with which option order and points,
and the seed that produced them. The draw is a pure function of (the paper's candidates, the
seed), so judges can reproduce it exactly; the snapshot itself is what the attempt shows and
grades, so a later edit of the bank never changes an attempt.

Loading the candidates touches the database once per paper (:func:`load_spec`); drawing many
papers from one spec (:func:`draw`) touches nothing, which is what lets a round build all its
papers before the start.

Snapshot shape (``Attempt.paper``)::

    {"version": 1, "seed": 123, "paper_id": 4, "max_score": "30.00",
     "slots": [{"slot": 0, "question_id": 9, "version_id": 31, "qtype": "single",
                "points": "1.00", "option_order": ["c", "a", "b"], "time_limit": null}, ...]}
"""

import random
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from . import question_types
from .models import BlueprintRule, Category, Paper, PaperItem, Question, QuestionVersion

SNAPSHOT_VERSION = 1


class PaperError(Exception):
    """The paper cannot be built (e.g. a rule matches fewer questions than it draws)."""


@dataclass(frozen=True)
class Candidate:
    question_id: int
    version_id: int
    qtype: str
    points: Decimal
    option_ids: tuple[str, ...]
    time_limit: int | None = None


@dataclass(frozen=True)
class Rule:
    count: int
    candidates: tuple[Candidate, ...]
    label: str = ""


@dataclass(frozen=True)
class PaperSpec:
    paper_id: int
    rules: tuple[Rule, ...]
    shuffle_questions: bool
    shuffle_options: bool


def new_seed() -> int:
    return secrets.randbits(62)


def _candidate(version: QuestionVersion, points, time_limit=None) -> Candidate:
    answerable = question_types.is_answerable(version.qtype)
    return Candidate(
        question_id=version.question_id,
        version_id=version.pk,
        qtype=version.qtype,
        points=Decimal(points if points is not None else version.default_points)
        if answerable
        else Decimal(0),
        option_ids=tuple(question_types.option_ids(version.qtype, version.definition)),
        time_limit=time_limit,
    )


def _fixed_rule(paper: Paper) -> Rule:
    items = (
        PaperItem.objects.filter(paper=paper).select_related("question__current_version").order_by("position")
    )
    candidates = []
    for item in items:
        version = item.question.current_version
        if version is None:
            raise PaperError(_("Câu hỏi #%(id)s chưa có nội dung.") % {"id": item.question_id})
        candidates.append(_candidate(version, item.points, item.time_limit_seconds))
    return Rule(count=len(candidates), candidates=tuple(candidates))


def _subtree(category: Category) -> set[int]:
    ids, frontier = {category.pk}, [category.pk]
    while frontier:
        frontier = list(Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.update(frontier)
    return ids


def _blueprint_rule(rule: BlueprintRule) -> Rule:
    questions = Question.objects.filter(bank=rule.bank, is_archived=False, current_version__isnull=False)
    if rule.category_id:
        category_ids = _subtree(rule.category) if rule.include_subcategories else {rule.category_id}
        questions = questions.filter(category_id__in=category_ids)
    for tag in rule.tags.all():
        questions = questions.filter(tags=tag)
    questions = questions.select_related("current_version").order_by("pk").distinct()
    candidates = tuple(_candidate(q.current_version, rule.points) for q in questions)
    return Rule(count=rule.count, candidates=candidates, label=str(rule.position))


def load_spec(paper: Paper) -> PaperSpec:
    """Read a paper's candidates (the only database access of this module besides freezing)."""
    if paper.kind == Paper.Kind.FIXED:
        rules = (_fixed_rule(paper),)
    else:
        rules = tuple(_blueprint_rule(rule) for rule in paper.rules.order_by("position"))
    spec = PaperSpec(
        paper_id=paper.pk,
        rules=rules,
        shuffle_questions=paper.shuffle_questions,
        shuffle_options=paper.shuffle_options,
    )
    errors = check_spec(spec)
    if errors:
        raise PaperError(" ".join(errors))
    return spec


def check_spec(spec: PaperSpec) -> list[str]:
    """Why no paper can be drawn from ``spec`` (translated), or [] when it can."""
    errors = []
    if sum(rule.count for rule in spec.rules) == 0:
        errors.append(_("Đề thi chưa có câu hỏi nào."))
    available: set[int] = set()
    for rule in spec.rules:
        available.update(c.question_id for c in rule.candidates)
    for number, rule in enumerate(spec.rules, start=1):
        if len(rule.candidates) < rule.count:
            errors.append(
                _("Quy tắc %(n)s cần %(count)s câu nhưng ngân hàng chỉ có %(have)s câu phù hợp.")
                % {"n": rule.label or number, "count": rule.count, "have": len(rule.candidates)}
            )
    if sum(rule.count for rule in spec.rules) > len(available):
        errors.append(_("Các quy tắc cần nhiều câu hơn số câu khác nhau có trong ngân hàng."))
    return errors


def draw(spec: PaperSpec, seed: int) -> dict:
    """One contestant's paper: deterministic in (spec, seed). Pure."""
    rng = random.Random(seed)  # noqa: S311 - reproducible shuffles, not secrets
    chosen: list[Candidate] = []
    used: set[int] = set()
    for rule in spec.rules:
        pool = [c for c in rule.candidates if c.question_id not in used]
        # Keep the bank's order among the drawn ones; the optional shuffle below reorders.
        picked = [pool[i] for i in sorted(rng.sample(range(len(pool)), min(rule.count, len(pool))))]
        chosen.extend(picked)
        used.update(c.question_id for c in picked)
    if spec.shuffle_questions:
        rng.shuffle(chosen)
    slots = []
    for index, candidate in enumerate(chosen):
        order = list(candidate.option_ids)
        if spec.shuffle_options and order:
            rng.shuffle(order)
        slots.append(
            {
                "slot": index,
                "question_id": candidate.question_id,
                "version_id": candidate.version_id,
                "qtype": candidate.qtype,
                "points": str(candidate.points.quantize(Decimal("0.01"))),
                "option_order": order or None,
                "time_limit": candidate.time_limit,
            }
        )
    total = sum((c.points for c in chosen), Decimal(0))
    return {
        "version": SNAPSHOT_VERSION,
        "seed": seed,
        "paper_id": spec.paper_id,
        "max_score": str(total.quantize(Decimal("0.01"))),
        "slots": slots,
    }


def version_ids(snapshot: dict) -> list[int]:
    return [slot["version_id"] for slot in snapshot["slots"]]


def snapshots_version_ids(snapshots) -> set[int]:
    """Every question version a set of papers hands out (what a round's start freezes)."""
    ids: set[int] = set()
    for snapshot in snapshots:
        ids.update(version_ids(snapshot))
    return ids


# Frozen versions never change, so their public form can be kept per process: a start with
# hundreds of contestants then reads each question once instead of once per contestant.
_frozen_cache: dict[int, tuple[str, str, dict]] = {}
_CACHE_LIMIT = 20_000


def _load_versions(ids: set[int]) -> dict[int, tuple[str, str, dict]]:
    missing = ids - _frozen_cache.keys()
    found = {}
    if missing:
        for v in QuestionVersion.objects.filter(pk__in=missing).only(
            "qtype", "stem_html", "definition", "frozen_at"
        ):
            found[v.pk] = (v.qtype, v.stem_html, v.definition)
            if v.frozen_at is not None and len(_frozen_cache) < _CACHE_LIMIT:
                _frozen_cache[v.pk] = found[v.pk]
    return {i: _frozen_cache.get(i) or found[i] for i in ids if i in _frozen_cache or i in found}


def load_definitions(snapshot: dict) -> dict[int, tuple[str, str, dict]]:
    """version id -> (qtype, stem_html, definition) for every slot, for grading and display."""
    return _load_versions(set(version_ids(snapshot)))


# The public form of a frozen version in one option order, shared by every paper showing it
# so (a question's options have few orders): a synchronous start builds thousands of papers
# in a second. Shared, so never modified by its readers.
_public_cache: dict[tuple[int, tuple | None], dict] = {}


def clear_caches() -> None:
    """Forget every cached version (tests: a rolled-back database hands the same ids out again)."""
    _frozen_cache.clear()
    _public_cache.clear()


def _public_definition(version_id: int, version: tuple[str, str, dict], option_order) -> dict:
    qtype, _, definition = version
    if version_id not in _frozen_cache:
        return question_types.public_definition(qtype, definition, option_order)
    key = (version_id, tuple(option_order) if option_order is not None else None)
    public = _public_cache.get(key)
    if public is None:
        public = question_types.public_definition(qtype, definition, option_order)
        if len(_public_cache) < _CACHE_LIMIT:
            _public_cache[key] = public
    return public


def public_questions(snapshot: dict) -> list[dict]:
    """What the contestant's browser receives: stems and options in their order, never a key."""
    versions = load_definitions(snapshot)
    questions = []
    for slot in snapshot["slots"]:
        version = versions[slot["version_id"]]
        questions.append(
            {
                "slot": slot["slot"],
                "qtype": version[0],
                "stem_html": version[1],
                "points": slot["points"],
                "definition": _public_definition(slot["version_id"], version, slot["option_order"]),
            }
        )
    return questions
