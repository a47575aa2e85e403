"""Shared set-up for the answer-file tests: a running round whose slot 0 is a file question."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from contest.services import entry
from contest.services import rounds as round_services
from tests import factories
from tests.contest.rounds_helpers import at

FILE_DEFINITION = {"accept": [".docx", ".pdf"], "max_bytes": 1000}
DOCX = b"PK\x03\x04" + b"\x00" * 60  # starts like a zip, which is all the service sniffs
PDF = b"%PDF-1.7\n" + b"\x00" * 40


def docx(name="bai-lam.docx", content=DOCX):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def file_round(edition, organiser, start=None):
    """Slot 0: a file question (.docx, .pdf, at most 1000 bytes); slot 1: a single choice.
    Started at ``start`` (the service tests' fixed T0 by default; views read the real clock)."""
    start = start or at(0)
    bank = factories.make_bank(edition=edition)
    questions = [
        factories.make_question(bank=bank, qtype="file", definition=FILE_DEFINITION),
        factories.make_question(bank=bank),
    ]
    paper = factories.make_paper(edition=edition, questions=questions, shuffle=False)
    round_ = factories.make_round(
        edition=edition,
        paper=paper,
        duration_seconds=600,
        opens_at=start,
        closes_at=start + timedelta(hours=1),
        grace_seconds=3.0,
    )
    return round_services.start_round(round_=round_, actor=organiser, now=start)


def entered(round_, registration, now=None):
    return entry.enter_round(round_=round_, registration=registration, device_id="dev-a", now=now or at(10))
