"""Data for the exam-round browser test, written into a running server's database.

The server under test is a separate Daphne process with its own SQLite file, so the test
cannot use pytest-django's in-memory database; it runs this module with the server's
environment (``LiveServer.run``) and reads what it prints as JSON.

Run ``python -m tests.browser.exam_round_data build <duration_seconds>`` as the server's setup,
then ``… ids`` for the ids and logins, and ``… report <round_id>`` to read the attempts back.
"""

import json
import sys
from datetime import timedelta

ROUND_SLUG = "vong-loai-cum-1"
PRACTICE_SLUG = "vong-on-tap"
ORGANISER = "btc1"
PASSWORD = "matkhau-thu-1"  # tests.factories.make_user's default


def build(duration_seconds: int) -> None:
    from django.utils import timezone

    from contest.models import RoleGrant, Round
    from contest.services.rounds import start_round
    from quizzes.models import Paper, PaperItem
    from quizzes.services import QuestionContent, create_question, get_or_create_bank
    from tests import factories

    edition = factories.make_edition(slug="hoithi-2026", name="Hội thi 2026")
    unit = factories.make_unit(edition=edition, code="QHK", name="LĐLĐ quận Hoàn Kiếm")
    organiser = factories.make_user(username=ORGANISER, password=PASSWORD)
    factories.grant(user=organiser, edition=edition, role=RoleGrant.Role.ORGANISER)
    factories.make_contestant(edition=edition, unit=unit, full_name="Phạm Thị Lan", code="ts1")
    factories.make_contestant(edition=edition, unit=unit, full_name="Đỗ Văn Nam", code="ts2")

    bank, _ = get_or_create_bank(name="Tin học văn phòng", edition=edition)
    contents = [
        QuestionContent(
            qtype="single",
            name="Lưu tài liệu",
            stem_html="<p>Phím tắt nào lưu tài liệu trong Microsoft Word?</p>",
            definition={
                "options": [
                    {"id": "a", "html": "Ctrl+S", "fraction": 1.0},
                    {"id": "b", "html": "Ctrl+P", "fraction": 0.0},
                    {"id": "c", "html": "Ctrl+Z", "fraction": 0.0},
                ]
            },
        ),
        QuestionContent(
            qtype="multiple",
            name="Trình duyệt",
            stem_html="<p>Những phần mềm nào là trình duyệt web?</p>",
            definition={
                "options": [
                    {"id": "a", "html": "Chrome", "fraction": 0.5},
                    {"id": "b", "html": "Firefox", "fraction": 0.5},
                    {"id": "c", "html": "Excel", "fraction": -1.0},
                ]
            },
        ),
        QuestionContent(
            qtype="truefalse",
            name="Mật khẩu",
            stem_html="<p>Nên dùng chung một mật khẩu cho mọi tài khoản.</p>",
            definition={"correct": False},
        ),
        QuestionContent(
            qtype="short",
            name="Thủ đô",
            stem_html="<p>Thủ đô của Việt Nam là thành phố nào?</p>",
            definition={"answers": [{"text": "Hà Nội", "fraction": 1.0}], "case_sensitive": False},
        ),
    ]
    paper = Paper.objects.create(
        edition=edition, name="Đề vòng loại", shuffle_questions=False, shuffle_options=False
    )
    for position, content in enumerate(contents):
        question = create_question(bank=bank, content=content)
        PaperItem.objects.create(paper=paper, question=question, position=position)

    now = timezone.now()
    Round.objects.create(
        edition=edition,
        slug=ROUND_SLUG,
        name="Vòng loại cụm 1",
        paper=paper,
        state=Round.State.SCHEDULED,
        timing=Round.Timing.SYNCHRONOUS,
        duration_seconds=duration_seconds,
        opens_at=now + timedelta(minutes=10),
        closes_at=now + timedelta(hours=2),
        late_entry=Round.LateEntry.FULL,
        grace_seconds=2.0,
    )
    # A second, already open round with a personal timer, for the lost-acknowledgement test.
    practice = Round.objects.create(
        edition=edition,
        slug=PRACTICE_SLUG,
        name="Vòng ôn tập",
        paper=paper,
        is_practice=True,
        state=Round.State.SCHEDULED,
        timing=Round.Timing.PERSONAL,
        duration_seconds=600,
        closes_at=now + timedelta(hours=2),
    )
    start_round(round_=practice, actor=organiser, now=now)


def report(round_id: int) -> dict:
    """What the test asserts at the end: every attempt's state, reason, score and answers."""
    from contest.models import Attempt, AttemptEvent

    rows = {}
    for attempt in Attempt.objects.filter(round_id=round_id).select_related("registration"):
        latest = {}
        for revision in attempt.revisions.order_by("slot", "revision"):
            latest[revision.slot] = revision.response
        rows[attempt.registration.code] = {
            "state": attempt.state,
            "submit_reason": attempt.submit_reason,
            "score": str(attempt.score),
            "answers": latest,
            "device_switches": attempt.device_switches,
            "revisions": attempt.revisions.count(),
            "flags": sorted(attempt.flags),
            "focus_losses": attempt.events.filter(kind=AttemptEvent.Kind.FOCUS_LOST).count(),
        }
    return rows


def ids() -> dict:
    """The ids and logins the test needs, read back after ``build`` ran as server setup."""
    from contest.models import Round

    round_ = Round.objects.select_related("edition").get(slug=ROUND_SLUG)
    codes = list(
        round_.edition.registrations.order_by("code").values_list("person__user__username", flat=True)
    )
    return {
        "edition": round_.edition.slug,
        "round_id": round_.pk,
        "round_slug": round_.slug,
        "practice_id": Round.objects.get(slug=PRACTICE_SLUG).pk,
        "password": PASSWORD,
        "organiser": ORGANISER,
        "contestants": codes,
    }


def main() -> None:
    import django

    django.setup()
    command = sys.argv[1]
    if command == "build":
        build(int(sys.argv[2]))
    elif command == "ids":
        print(json.dumps(ids()))
    else:
        print(json.dumps(report(int(sys.argv[2]))))


if __name__ == "__main__":
    main()
