"""Demo rounds: a qualifier ready to start and a practice round, on the demo bank.

Idempotent like the rest of the demo: a second call finds what the first one made.
"""

from contest.models import Round
from quizzes.models import Paper, PaperItem, Question

PAPER_NAME = "Đề thi vòng loại (mẫu)"
QUESTION_COUNT = 20

# (slug, name, practice, duration in minutes)
ROUNDS = [
    ("vong-loai-mau", "Vòng loại – thi trắc nghiệm trực tuyến (mẫu)", False, 20),
    ("thi-thu", "Thi thử làm quen hệ thống", True, 10),
]


def _demo_paper(edition, bank) -> Paper:
    paper, created = Paper.objects.get_or_create(
        edition=edition, name=PAPER_NAME, defaults={"kind": Paper.Kind.FIXED}
    )
    if created:
        questions = (
            Question.objects.filter(bank=bank, is_archived=False, current_version__isnull=False)
            .exclude(qtype__in=["description", "essay", "file"])
            .order_by("pk")[:QUESTION_COUNT]
        )
        PaperItem.objects.bulk_create(
            [PaperItem(paper=paper, question=q, position=i) for i, q in enumerate(questions, start=1)]
        )
    return paper


def seed_demo_round(edition, bank) -> list[Round]:
    """Draft rounds with a paper drawn from ``bank``: the organiser only has to press start."""
    paper = _demo_paper(edition, bank)
    rounds = []
    for slug, name, practice, minutes in ROUNDS:
        round_, _created = Round.objects.get_or_create(
            edition=edition,
            slug=slug,
            defaults={
                "name": name,
                "paper": paper,
                "is_practice": practice,
                "timing": Round.Timing.PERSONAL,
                "duration_seconds": minutes * 60,
                "late_entry": Round.LateEntry.FULL,
            },
        )
        rounds.append(round_)
    return rounds
