"""Time parsing and importing a 2,000-question GIFT file (the issue's target: well under 10 s).

Run: .venv/bin/python bench/import_bench.py [N]. Builds a throw-away test database (in-memory
SQLite, or a test database on the server named by DATABASE_URL), generates N questions of
mixed types with Vietnamese text, categories and tags, then times parse_upload and
import_questions (one transaction, bulk inserts). Also times the refusal of a billion-laughs
and an external-entity Moodle XML file, which must happen before any expansion.
"""

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from contest.models import Edition  # noqa: E402
from quizzes.importers import parse_upload  # noqa: E402
from quizzes.models import Question  # noqa: E402
from quizzes.services import get_or_create_bank, import_questions  # noqa: E402

TARGET_SECONDS = 10
WORDS = [
    "máy",
    "tính",
    "bàn",
    "phím",
    "văn",
    "bản",
    "bảng",
    "tính",
    "trình",
    "chiếu",
    "mạng",
    "thư",
    "điện",
    "tử",
    "tệp",
    "thư",
    "mục",
    "phông",
    "chữ",
    "công",
    "thức",
    "ô",
    "dữ",
    "liệu",
]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def make_gift(count: int) -> bytes:
    rng = random.Random(2026)
    blocks = []
    for index in range(count):
        module = f"IU0{index % 6 + 1}"
        if index % 100 == 0:
            blocks.append(f"$CATEGORY: $course$/top/{module}/Phần {index // 100 + 1}")
        head = f"// [tag:{module}] [tag:{rng.choice(['dễ', 'trung bình', 'khó'])}]\n::Câu {index + 1}::"
        stem = f"Câu {index + 1}\\: {sentence(rng, 12)}?"
        kind = index % 10
        if kind < 6:
            body = (
                "{\n=" + sentence(rng, 3) + "\n" + "".join(f"~{sentence(rng, 3)}\n" for _ in range(3)) + "}"
            )
        elif kind == 6:
            body = "{\n~%50%A đúng\n~%50%B đúng\n~%-100%C sai\n~D sai\n}"
        elif kind == 7:
            body = "{T}"
        elif kind == 8:
            body = "{=Hà Nội =Ha Noi}"
        else:
            body = f"{{#{rng.randint(1, 999)}:0,5}}"
        blocks.append(head + stem + body)
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


def entity_attacks() -> list[bytes]:
    laughs = b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b'<!ENTITY a%d "%s">' % (i, (b"&a%d;" % (i - 1) if i > 1 else b"&a;") * 10) for i in range(1, 12)
    )
    laughs += b']><quiz><question type="essay"><name><text>&a11;</text></name></question></quiz>'
    xxe = b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>'
    return [laughs, xxe]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        data = make_gift(count)
        edition = Edition.objects.create(slug="bench", name="Bench")
        bank = get_or_create_bank(name="Bench", edition=edition)[0]
        started = time.perf_counter()
        result = parse_upload(data, "bench.gift")
        parsed = time.perf_counter()
        report = import_questions(bank=bank, result=result, skip_invalid=False)
        done = time.perf_counter()
        assert report.written and Question.objects.filter(bank=bank).count() == count, report.errors[:3]
        print(f"GIFT file: {len(data) / 1024:.0f} KiB, {count} questions, by type {report.by_type}")
        print(
            f"parse: {parsed - started:.2f} s   import: {done - parsed:.2f} s   total: {done - started:.2f} s"
        )
        for attack in entity_attacks():
            t0 = time.perf_counter()
            refused = parse_upload(attack, "attack.xml")
            assert refused.errors and not refused.questions
            print(
                f"entity attack refused in {(time.perf_counter() - t0) * 1000:.1f} ms: {refused.errors[0].message}"
            )
        verdict = "OK" if done - started < TARGET_SECONDS else "TOO SLOW"
        print(f"{verdict}: target < {TARGET_SECONDS} s ({connection.vendor})")
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)


if __name__ == "__main__":
    main()
