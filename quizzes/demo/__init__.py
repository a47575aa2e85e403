"""The demo question bank: Vietnamese basic IT-skills questions (modules IU01–IU06).

``it_skills_vi.gift`` is written in GIFT so it doubles as an example of the format for
organisers; it goes through the same importer and service as any upload.
"""

from pathlib import Path

from quizzes.importers import parse_upload
from quizzes.models import Bank
from quizzes.services import get_or_create_bank, import_questions

DEMO_BANK_NAME = "Kỹ năng sử dụng CNTT cơ bản (mẫu)"
DEMO_FILE = Path(__file__).with_name("it_skills_vi.gift")


def seed_demo_bank(edition) -> Bank:
    """The demo bank of ``edition``, filled on first call; later calls change nothing.

    Seeding is not anybody's action, so it writes no audit rows.
    """
    bank, _created = get_or_create_bank(
        name=DEMO_BANK_NAME,
        edition=edition,
        description="Câu hỏi mẫu theo Chuẩn kỹ năng sử dụng CNTT cơ bản, mô-đun IU01–IU06.",
        audit=False,
    )
    if not bank.questions.exists():
        result = parse_upload(DEMO_FILE.read_bytes(), DEMO_FILE.name, "gift")
        report = import_questions(bank=bank, result=result, skip_invalid=False, audit=False)
        if not report.written:  # the file ships with the code: a failure here is a bug
            raise RuntimeError(f"demo bank did not import: {[e.message for e in report.errors]}")
    return bank
