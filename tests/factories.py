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


def make_user(*, username=None, password="matkhau-thu-1", **fields):  # noqa: S107 - test data
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


def make_contestant(
    *, edition, unit=None, full_name=None, team=None, code=None, with_user=True
) -> Registration:
    """A registered contestant with a login (``registration.person.user``)."""
    unit = unit or make_unit(edition=edition)
    n = next_id()
    user = make_user(username=code or f"ts{n}") if with_user else None
    person = make_person(full_name=full_name, user=user)
    return Registration.objects.create(
        edition=edition, person=person, unit=unit, team=team, code=code or f"TS{n:04d}"
    )


# --- Question banks, papers and rounds (added by "rounds") -------------------------------------


def make_bank(*, edition=None, name=None):
    from quizzes.models import Bank

    return Bank.objects.create(edition=edition, name=name or f"Ngân hàng {next_id()}")


SINGLE_DEFINITION = {
    "options": [
        {"id": "a", "html": "Ctrl+S", "fraction": 1.0, "feedback": ""},
        {"id": "b", "html": "Ctrl+P", "fraction": 0.0, "feedback": ""},
        {"id": "c", "html": "Ctrl+Z", "fraction": 0.0, "feedback": ""},
    ]
}


def make_question(*, bank, qtype="single", definition=None, name=None, points="1", category=None, tags=()):
    """A question with one current version (written directly: tests need no import path)."""
    from quizzes.models import Question, QuestionVersion

    question = Question.objects.create(bank=bank, qtype=qtype, category=category)
    version = QuestionVersion.objects.create(
        question=question,
        number=1,
        qtype=qtype,
        name=name or f"Câu {question.pk}",
        stem_html=f"<p>Câu hỏi số {question.pk}?</p>",
        definition=SINGLE_DEFINITION if definition is None and qtype == "single" else (definition or {}),
        default_points=points,
    )
    question.current_version = version
    question.save(update_fields=["current_version"])
    if tags:
        question.tags.set(tags)
    return question


def make_paper(*, edition, questions, name=None, shuffle=True):
    """A fixed paper with ``questions`` in order."""
    from quizzes.models import Paper, PaperItem

    paper = Paper.objects.create(
        edition=edition, name=name or f"Đề {next_id()}", shuffle_questions=shuffle, shuffle_options=shuffle
    )
    PaperItem.objects.bulk_create(
        [PaperItem(paper=paper, question=q, position=i) for i, q in enumerate(questions, start=1)]
    )
    return paper


def make_round(*, edition, paper=None, slug=None, **fields):
    from contest.models import Round

    n = next_id()
    return Round.objects.create(
        edition=edition,
        paper=paper,
        slug=slug or f"vong-{n}",
        name=fields.pop("name", f"Vòng thi {n}"),
        **fields,
    )
