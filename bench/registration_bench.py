"""Micro-benchmark: bulk registration of 300 contestants with real Argon2id hashing.

Runs against a throw-away SQLite database in a temporary folder (or DATABASE_URL if set; then
it must point at an empty scratch database), with the production hasher (OWASP minimum
parameters). Prints the time of the preview, of the confirm (which includes hashing in a
thread pool), and of the same hashing done serially, for comparison.

    .venv/bin/python bench/registration_bench.py [ROWS]
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HOITHI_DATA_DIR", tempfile.mkdtemp(prefix="hoithi-bench-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
os.environ["DEBUG"] = "0"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from contest.models import Edition, Unit  # noqa: E402
from contest.registration_import import COLUMNS  # noqa: E402
from contest.services import registration  # noqa: E402

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Quốc", "Ngọc"]
GIVEN = ["An", "Bình", "Cường", "Dung", "Hà", "Hoa", "Long", "Mai", "Nam", "Phương", "Quân", "Yến"]


def build_csv(rows: int, unit_codes: list[str]) -> bytes:
    lines = [",".join(column.header for column in COLUMNS)]
    for i in range(rows):
        name = f"{FAMILY[i % 10]} {MIDDLE[i % 6]} {GIVEN[i % 12]}"
        day, month, year = 1 + i % 28, 1 + i % 12, 1970 + i % 30
        lines.append(f"{name},{day:02d}/{month:02d}/{year},,{unit_codes[i % len(unit_codes)]},,,,,có")
    return "\n".join(lines).encode("utf-8")


def main(rows: int) -> None:
    call_command("migrate", verbosity=0)
    edition, _ = Edition.objects.get_or_create(slug="bench", defaults={"name": "Benchmark"})
    codes = [f"BENCH{n}" for n in range(10)]
    for code in codes:
        Unit.objects.get_or_create(edition=edition, code=code, defaults={"name": code})
    actor, _ = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    content = build_csv(rows, codes)

    started = time.perf_counter()
    preview = registration.preview_registrations(
        edition=edition, actor=actor, filename="bench.csv", content=content, today=timezone.localdate()
    )
    preview_s = time.perf_counter() - started
    assert preview.can_confirm, preview.file_error or preview.checks[0].errors

    started = time.perf_counter()
    slips = registration.confirm_registrations(
        edition=edition, actor=actor, filename="bench.csv", content=content
    )
    confirm_s = time.perf_counter() - started

    passwords = [slip.password for slip in slips]
    started = time.perf_counter()
    for password in passwords:
        make_password(password)
    serial_s = time.perf_counter() - started

    print(f"rows: {rows}, cores: {os.cpu_count()}, hasher: {make_password('x').split('$', 3)[:3]}")
    print(f"preview (read + check):             {preview_s:6.2f} s")
    print(f"confirm (hash in pool + write):     {confirm_s:6.2f} s")
    print(f"serial hashing alone, for contrast: {serial_s:6.2f} s ({serial_s / rows * 1000:.1f} ms/hash)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
