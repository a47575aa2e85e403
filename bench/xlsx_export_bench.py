"""Time an .xlsx results export of 2,000 contestants × 40 questions.

Run: .venv/bin/python bench/xlsx_export_bench.py [CONTESTANTS [QUESTIONS]]. The workbook has the
ranking sheet and the per-question breakdown (response, correct, points for each question), the
two largest sheets of a real export. Synthetic data, no database: this measures the writer.
"""

import random
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402
from django.conf import settings  # noqa: E402

if not settings.configured:
    settings.configure(USE_I18N=False)
    django.setup()

from contest.exporters.tables import Column, Kind, QuestionCell, Table, breakdown_table  # noqa: E402
from contest.exporters.xlsx import render_xlsx  # noqa: E402

TARGET_SECONDS = 15
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hương", "Khánh", "Lan", "Phương", "Thảo", "Yến"]


def make_tables(contestants: int, questions: int) -> list[Table]:
    rng = random.Random(2026)
    start = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
    people = [
        (
            f"TS{index:05d}",
            f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
            f"Công đoàn quận {rng.randint(1, 30)}",
        )
        for index in range(contestants)
    ]
    lead = (Column("Số báo danh"), Column("Họ và tên"), Column("Đơn vị"))
    ranking = Table(
        name="xep-hang",
        title="Xếp hạng cá nhân",
        columns=(
            Column("Hạng", Kind.INTEGER),
            *lead,
            Column("Điểm", Kind.DECIMAL),
            Column("Thời gian làm bài (giây)", Kind.INTEGER),
            Column("Nộp bài lúc", Kind.DATETIME),
        ),
        rows=[
            [
                index + 1,
                *person,
                Decimal(rng.randint(0, 160)) / 4,
                rng.randint(300, 1800),
                start + timedelta(seconds=rng.randint(300, 1800)),
            ]
            for index, person in enumerate(people)
        ],
    )
    rows = []
    for person in people:
        cells = []
        for _ in range(questions):
            choice = rng.choice("ABCD")
            cells.append(QuestionCell(choice, choice == "A", Decimal(1) if choice == "A" else Decimal(0)))
        rows.append((person, cells))
    breakdown = breakdown_table(
        name="chi-tiet",
        title="Chi tiết từng câu",
        lead_columns=lead,
        question_labels=[f"Câu {n}" for n in range(1, questions + 1)],
        rows=rows,
    )
    return [ranking, breakdown]


def main() -> int:
    contestants = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    questions = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    tables = make_tables(contestants, questions)
    began = time.perf_counter()
    data = render_xlsx(tables)
    seconds = time.perf_counter() - began
    cells = sum(len(t.rows) * len(t.columns) for t in tables)
    print(
        f"xlsx export: {contestants} contestants × {questions} questions ({cells:,} cells, "
        f"{len(data) / 1e6:.1f} MB) in {seconds:.2f} s (target < {TARGET_SECONDS} s)"
    )
    return 0 if seconds < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
