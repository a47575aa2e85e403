"""Benchmark: an edition with 2,000 contestants × 40 questions exported to .xlsx from the database.

Measures the whole path an organiser's download takes (``contest.services.exports``): the
scoring selectors, the per-question breakdown from the answer revisions and paper snapshots,
the item analysis, and the workbook writer. Target: under 15 s on the 2-core machine.

Runs against a throw-away SQLite database in a temporary folder (or DATABASE_URL if set; then
it must point at an empty scratch database). The data are written with bulk inserts (this
measures the export, not the exam).

    .venv/bin/python bench/results_export_bench.py [--contestants 2000] [--questions 40] [--out DIR]

``--out DIR`` also writes the other formats there (csv zip, json, pdf, prizes, certificates),
for looking at them.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HOITHI_DATA_DIR", tempfile.mkdtemp(prefix="hoithi-bench-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
os.environ["DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from contest.models import (  # noqa: E402
    AnswerRevision,
    Attempt,
    Edition,
    EditionScoring,
    Person,
    Registration,
    Round,
    Team,
    Unit,
)
from contest.services.errors import DomainError  # noqa: E402
from contest.services.exports import export_results  # noqa: E402
from quizzes.models import Bank, Paper, PaperItem, Question, QuestionVersion  # noqa: E402

TARGET_SECONDS = 15
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hương", "Khánh", "Lan", "Phương", "Thảo", "Yến"]
START = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
OPTIONS = ["a", "b", "c", "d"]


def build(contestants: int, questions: int) -> Edition:
    rng = random.Random(2026)
    edition = Edition.objects.create(
        slug="bench-ket-qua", name="Hội thi Tin học cán bộ công đoàn Thủ đô năm 2026", starts_on=START.date()
    )
    units = Unit.objects.bulk_create(
        [
            Unit(edition=edition, code=f"Q{n:02d}", name=f"Công đoàn quận {n}", expected_headcount=80)
            for n in range(1, 31)
        ]
    )
    teams = Team.objects.bulk_create(
        [Team(edition=edition, unit=unit, code=f"D{unit.code}", name=f"Đội {unit.name}") for unit in units]
    )
    people = Person.objects.bulk_create(
        [
            Person(full_name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}")
            for _ in range(contestants)
        ]
    )
    registrations = Registration.objects.bulk_create(
        [
            Registration(
                edition=edition,
                person=person,
                unit=units[n % len(units)],
                team=teams[n % len(units)] if n < 3 * len(units) else None,
                code=f"TS{n:05d}",
            )
            for n, person in enumerate(people)
        ]
    )
    bank = Bank.objects.create(edition=edition, name="Ngân hàng đo hiệu năng")
    qs = Question.objects.bulk_create([Question(bank=bank, qtype="single") for _ in range(questions)])
    definition = {
        "options": [
            {"id": o, "html": f"Phương án {o}", "fraction": 1.0 if o == "a" else 0.0, "feedback": ""}
            for o in OPTIONS
        ]
    }
    versions = QuestionVersion.objects.bulk_create(
        [
            QuestionVersion(
                question=q,
                number=1,
                qtype="single",
                name=f"Câu hỏi số {n}",
                stem_html="<p>?</p>",
                definition=definition,
            )
            for n, q in enumerate(qs, start=1)
        ]
    )
    paper = Paper.objects.create(edition=edition, name="Đề chính thức")
    PaperItem.objects.bulk_create(
        [PaperItem(paper=paper, question=q, position=n) for n, q in enumerate(qs, 1)]
    )
    round_ = Round.objects.create(
        edition=edition, slug="chung-ket", name="Vòng chung kết", paper=paper, state=Round.State.CLOSED,
        opens_at=START, closes_at=START + timedelta(hours=1), duration_seconds=1800,
    )  # fmt: skip
    slots = [
        {"slot": n, "question_id": q.pk, "version_id": v.pk, "qtype": "single", "points": "1.00",
         "option_order": OPTIONS, "time_limit": None}
        for n, (q, v) in enumerate(zip(qs, versions, strict=True))
    ]  # fmt: skip
    skill = {r.pk: rng.random() for r in registrations}
    choices = {
        r.pk: [("a" if rng.random() < 0.3 + 0.6 * skill[r.pk] else rng.choice(OPTIONS[1:])) for _ in qs]
        for r in registrations
    }
    attempts = Attempt.objects.bulk_create(
        [
            Attempt(
                round=round_, registration=r, number=1, state=Attempt.State.SUBMITTED, seed=n,
                paper={"version": 1, "seed": n, "paper_id": paper.pk, "slots": slots, "max_score": f"{questions}.00"},
                max_score=Decimal(questions), started_at=START + timedelta(seconds=n % 60),
                submitted_at=START + timedelta(seconds=900 + n), submit_reason="contestant",
                score=Decimal(sum(c == "a" for c in choices[r.pk])), answered_count=questions,
            )
            for n, r in enumerate(registrations)
        ],
        batch_size=500,
    )  # fmt: skip
    AnswerRevision.objects.bulk_create(
        (
            AnswerRevision(
                attempt=attempt, slot=slot, revision=1, response={"choice": choice},
                client_message_id=f"{attempt.pk}-{slot}", received_at=START + timedelta(seconds=60 + slot),
                fraction=1.0 if choice == "a" else 0.0, points=Decimal(1 if choice == "a" else 0),
            )
            for attempt in attempts
            for slot, choice in enumerate(choices[attempt.registration_id])
        ),
        batch_size=2000,
    )  # fmt: skip
    EditionScoring.objects.create(
        edition=edition,
        individual_quotas={"first": 3, "second": 6, "third": 9, "consolation": 15},
        team_quotas={"first": 1, "second": 2},
    )
    return edition


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contestants", type=int, default=2000)
    parser.add_argument("--questions", type=int, default=40)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    edition = build(args.contestants, args.questions)
    print(
        f"data: {args.contestants} contestants × {args.questions} questions in {time.perf_counter() - started:.1f} s"
    )
    now = START + timedelta(days=1)
    started = time.perf_counter()
    exported = export_results(edition=edition, fmt="xlsx", now=now)
    seconds = time.perf_counter() - started
    verdict = "OK" if seconds < TARGET_SECONDS else "TOO SLOW"
    print(
        f"xlsx export from the database: {seconds:.2f} s ({len(exported.content) / 1e6:.1f} MB), "
        f"target < {TARGET_SECONDS} s: {verdict}"
    )
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / exported.filename).write_bytes(exported.content)
        for fmt in ("csv", "json", "pdf", "prizes", "certificates"):
            started = time.perf_counter()
            try:
                other = export_results(edition=edition, fmt=fmt, now=now)
            except DomainError as error:  # e.g. a prize tie nobody decided in random data
                print(f"{fmt}: {error.message}")
                continue
            (args.out / other.filename).write_bytes(other.content)
            print(f"{fmt}: {time.perf_counter() - started:.2f} s -> {args.out / other.filename}")
    return 0 if seconds < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
