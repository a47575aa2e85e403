"""Data for the live-round browser test, written into a running server's database (see
tests/browser/exam_round_data.py for why it is a module run with the server's environment).

``python -m tests.browser.live_round_data build`` as the server's setup, then ``… ids``.
"""

import json
import sys

ROUND_SLUG = "chung-ket"
ORGANISER = "btc1"
PASSWORD = "matkhau-thu-1"  # tests.factories.make_user's default
PIN = "2468"  # the round's access code, shown on the projector


def build() -> None:
    from contest.models import RoleGrant, Round
    from quizzes.models import Paper, PaperItem
    from quizzes.services import QuestionContent, create_question, get_or_create_bank
    from tests import factories

    edition = factories.make_edition(slug="hoithi-2026", name="Hội thi 2026")
    hoan_kiem = factories.make_unit(edition=edition, code="QHK", name="LĐLĐ quận Hoàn Kiếm", color="#c0392b")
    ba_dinh = factories.make_unit(edition=edition, code="QBD", name="LĐLĐ quận Ba Đình", color="#1f5fbf")
    organiser = factories.make_user(username=ORGANISER, password=PASSWORD)
    factories.grant(user=organiser, edition=edition, role=RoleGrant.Role.ORGANISER)
    factories.make_contestant(edition=edition, unit=hoan_kiem, full_name="Phạm Thị Lan", code="ts1")
    factories.make_contestant(edition=edition, unit=ba_dinh, full_name="Đỗ Văn Nam", code="ts2")

    bank, _ = get_or_create_bank(name="Chung kết", edition=edition)
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
                    {"id": "d", "html": "Ctrl+X", "fraction": 0.0},
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
            name="Bảng tính",
            stem_html="<p>Hàm nào của Excel tính tổng một vùng ô?</p>",
            definition={"answers": [{"text": "SUM", "fraction": 1.0}], "case_sensitive": False},
        ),
    ]
    paper = Paper.objects.create(
        edition=edition, name="Đề chung kết", shuffle_questions=False, shuffle_options=False
    )
    for position, content in enumerate(contents):
        question = create_question(bank=bank, content=content)
        PaperItem.objects.create(paper=paper, question=question, position=position)
    Round.objects.create(
        edition=edition,
        slug=ROUND_SLUG,
        name="Chung kết sân khấu",
        paper=paper,
        mode=Round.Mode.LIVE,
        live_scoring=Round.LiveScoring.SPEED,
        live_question_seconds=30,
        grace_seconds=1.0,
        access_code=PIN,
    )


def ids() -> dict:
    from contest.models import Round

    round_ = Round.objects.select_related("edition").get(slug=ROUND_SLUG)
    return {
        "edition": round_.edition.slug,
        "round_id": round_.pk,
        "round_slug": round_.slug,
        "organiser": ORGANISER,
        "contestants": ["ts1", "ts2"],
        "password": PASSWORD,
        "pin": PIN,
    }


if __name__ == "__main__":
    import django

    django.setup()
    command = sys.argv[1]
    if command == "build":
        build()
    else:
        print(json.dumps(ids()))
