"""Every organiser and judge action writes exactly one audit row, and nobody can change one.

The list of actions is read from the source: every literal dotted id given to ``record(…)`` /
``_record(…)`` or as ``action=…``, plus the round transitions (``round.<action>``). A new action
fails :func:`test_every_audited_action_in_the_code_is_listed_here` until it is added to
``DRIVEN`` (performed here, checked for exactly one row) or to ``COVERED_ELSEWHERE`` (its
owner's test performs it and counts its row; the path is given).
"""

import base64
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from contest import states
from contest.archive import export_edition
from contest.models import AuditLog, Registration, Round
from contest.models.audit import AuditLogImmutableError
from contest.services import api_tokens, judging, keyfixes, registration, scoring, signoff
from contest.services import rounds as round_services
from contest.services.round_config import Entry, update_round
from quizzes.filing import file_question, upload_media
from tests import factories
from tests.contest.judging_helpers import judged_round
from tests.contest.rounds_helpers import at

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
LITERAL = re.compile(r"""(?:record\(\s*|\baction=)["']([a-z][a-z_]*(?:\.[a-z_]+)+)["']""")
NOW = at(4000)
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
ROUND_VALUES = {
    "name": "Vòng loại",
    "slug": "vong-loai",
    "mode": "exam",
    "duration_seconds": 900,
    "attempts_allowed": 1,
}

COVERED_ELSEWHERE = {
    "registration.imported": "tests/contest/services/test_registration.py",
    "results.exported": "tests/contest/exporters/test_export_files.py",
    "edition.imported": "tests/contest/management/test_edition_archive.py",
    "bank.imported": "tests/quizzes/test_services.py",
    "bank.questions_tagged": "tests/quizzes/views/test_bank_pages.py",
    "bank.questions_moved": "tests/quizzes/views/test_bank_pages.py",
    "question.updated": "tests/quizzes/test_services.py",
    "round.created": "tests/contest/test_round_pages.py",
    "round.advancement_confirmed": "tests/contest/test_scoring.py",
    "prize.tie_decided": "tests/contest/test_scoring.py",
    "board.prediction_truth_computed": "tests/contest/test_scoring.py",
    "live.joined": "tests/contest/test_live_join.py",
}


def discovered_actions() -> set[str]:
    found = set()
    for folder in ("contest", "quizzes", "config"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            found.update(LITERAL.findall(path.read_text(encoding="utf-8")))
    transitions = {states.SCHEDULE, states.UNSCHEDULE, states.START, states.PAUSE, states.CLOSE, states.RESET}
    return found | {f"round.{action}" for action in transitions}


# --- Drivers: each performs ONE action on a prepared world ----------------------------------


class World:
    """A closed round with marked essays (judging), an open round (control), people."""

    def __init__(self, edition, organiser, judge, head_judge):
        self.edition, self.organiser, self.judge, self.head = edition, organiser, judge, head_judge
        self.judged = judged_round(edition, organiser, [["a", "a", "a"], ["a", "b", "b"]])
        self.open = judged_round(edition, organiser, [["a", "a", "a"]], close=False)

    def essay(self, index):
        attempt = self.judged.attempt(index)
        return attempt, self.judged.slot_of(attempt, self.judged.essay)

    def mark_all(self):
        for index in range(2):
            attempt, slot = self.essay(index)
            judging.mark_answer(
                attempt_id=attempt.pk, slot=slot, judge=self.judge, awarded={"total": "2"}, now=NOW
            )

    def lock(self):
        self.mark_all()
        judging.configure_judging(
            round_=self.judged.round, values={"required_signers": 1}, actor=self.head, now=NOW
        )
        signoff.sign_off(round_=self.judged.round, judge=self.head, now=NOW)

    def publish(self):
        self.lock()
        signoff.publish_results(round_=self.judged.round, actor=self.head, now=NOW)

    def appeal(self):
        self.publish()
        attempt, slot = self.essay(0)
        user = self.judged.registrations[0].person.user
        return signoff.submit_appeal(
            attempt=attempt, slot=slot, reason="Xin chấm lại câu này", user=user, now=NOW
        )


def _version(w):
    return w.judged.attempt(0).paper["slots"][0]["version_id"]


def _practice_closed(w):
    round_ = factories.make_round(
        edition=w.edition, paper=w.open.round.paper, is_practice=True, opens_at=at(0)
    )
    round_ = round_services.start_round(round_=round_, actor=w.organiser, now=at(0))
    w.target = round_services.close_round(round_=round_, actor=w.organiser, now=at(10))


def _scheduled(w):
    w.target = round_services.schedule_round(round_=_draft(w), actor=w.organiser, now=NOW)


def _team(w):
    w.team = factories.make_team(edition=w.edition, unit=w.judged.registrations[0].unit)
    Registration.objects.filter(pk__in=[r.pk for r in w.judged.registrations]).update(team=w.team)


def _draft(w):
    return factories.make_round(edition=w.edition, paper=w.open.round.paper, opens_at=at(9000))


def _login(w, client, password):
    client.post(reverse("login"), {"username": w.judge.username, "password": password})


DRIVEN = {
    # Judging (contest.services.judging / keyfixes / signoff).
    "judging.configured": (None, lambda w, c: judging.configure_judging(
        round_=w.judged.round, values={"required_signers": 2}, actor=w.head, now=NOW)),
    "judging.rubric_saved": (None, lambda w, c: judging.save_rubric(
        round_=w.judged.round, question_id=w.judged.essay.pk, criteria=judging.parse_criteria("Nội dung: 5"),
        mode="single", panel_size=3, actor=w.head, now=NOW)),
    "score.marked": (None, lambda w, c: judging.mark_answer(
        attempt_id=w.essay(0)[0].pk, slot=w.essay(0)[1], judge=w.judge, awarded={"total": "3"}, now=NOW)),
    "score.marked_team": (_team, lambda w, c: judging.mark_team(
        round_=w.judged.round, team_id=w.team.pk, question_id=w.judged.essay.pk, judge=w.judge,
        awarded={"total": "3"}, now=NOW)),
    "score.adjusted": (None, lambda w, c: judging.adjust_score(
        attempt_id=w.essay(0)[0].pk, slot=None, new_points="9", reason="Cộng điểm thưởng", actor=w.judge, now=NOW)),
    "key.fixed": (None, lambda w, c: keyfixes.fix_key(
        round_=w.judged.round, version_id=_version(w), kind="void", key=[], reason="Câu hỏi sai",
        actor=w.head, now=NOW, apply=True)),
    "results.signed": (World.mark_all, lambda w, c: signoff.sign_off(round_=w.judged.round, judge=w.judge, now=NOW)),
    "results.published": (World.lock, lambda w, c: signoff.publish_results(
        round_=w.judged.round, actor=w.head, now=NOW)),
    "appeal.submitted": (World.publish, lambda w, c: signoff.submit_appeal(
        attempt=w.essay(1)[0], slot=w.essay(1)[1], reason="Xin chấm lại", now=NOW,
        user=w.judged.registrations[1].person.user)),
    "appeal.recommended": (World.appeal, lambda w, c: signoff.recommend_appeal(
        appeal_id=w.judged.attempt(0).appeals.get().pk, judge=w.judge, accept=True, text="Nên chấp nhận", now=NOW)),
    "appeal.decided": (World.appeal, lambda w, c: signoff.decide_appeal(
        appeal_id=w.judged.attempt(0).appeals.get().pk, head_judge=w.head, accept=True, answer="Chấp nhận",
        new_points="5", now=NOW)),
    "audit.exported": (None, lambda w, c: judging.export_audit_log(
        edition=w.edition, rows=AuditLog.objects.filter(edition_id=w.edition.pk), filters={}, actor=w.organiser,
        now=NOW)),
    # Round control (contest.services.rounds).
    "round.schedule": (None, lambda w, c: round_services.schedule_round(round_=_draft(w), actor=w.organiser, now=NOW)),
    "round.unschedule": (_scheduled, lambda w, c: round_services.unschedule_round(
        round_=w.target, actor=w.organiser, now=NOW)),
    "round.start": (_scheduled, lambda w, c: round_services.start_round(round_=w.target, actor=w.organiser, now=NOW)),
    "round.updated": (None, lambda w, c: update_round(
        actor=w.organiser, round_=_draft(w), values=ROUND_VALUES, entry=Entry(), now=NOW)),
    "round.pause": (None, lambda w, c: round_services.pause_round(round_=w.open.round, actor=w.organiser, now=at(30))),
    "round.resume": (lambda w: round_services.pause_round(round_=w.open.round, actor=w.organiser, now=at(30)),
                     lambda w, c: round_services.resume_round(
                         round_=Round.objects.get(pk=w.open.round.pk), actor=w.organiser, now=at(40))),
    "round.extend": (None, lambda w, c: round_services.extend_round(
        round_=w.open.round, minutes=5, actor=w.organiser, now=at(30))),
    "attempt.extend": (None, lambda w, c: round_services.extend_attempt(
        round_=w.open.round, attempt_id=w.open.attempt(0).pk, minutes=5, actor=w.organiser, now=at(30))),
    "attempt.force_submitted": (None, lambda w, c: round_services.force_submit(
        round_=w.open.round, attempt_id=w.open.attempt(0).pk, actor=w.organiser, now=at(30))),
    "round.close": (None, lambda w, c: round_services.close_round(round_=w.open.round, actor=w.organiser, now=at(30))),
    "round.reset": (_practice_closed, lambda w, c: round_services.reset_practice_round(
        round_=w.target, actor=w.organiser, now=at(20))),
    "round.announce": (None, lambda w, c: round_services.announce(
        round_=w.open.round, text="Còn 5 phút", actor=w.organiser, now=at(30))),
    # Boards and scoring (contest.services.scoring).
    "board.configured": (None, lambda w, c: scoring.configure_board(
        round_=w.judged.round, visibility="contestants", freeze_minutes=0, weight="1", chain=["score"],
        actor=w.organiser, now=NOW)),
    "board.prediction_truth_set": (None, lambda w, c: scoring.set_prediction_truth(
        round_=w.judged.round, truth="12", actor=w.organiser, now=NOW)),
    "board.reveal_started": (None, lambda w, c: scoring.start_reveal(round_=w.judged.round, actor=w.organiser, now=NOW)),
    "board.revealed": (lambda w: scoring.start_reveal(round_=w.judged.round, actor=w.organiser, now=NOW),
                       lambda w, c: scoring.reveal_next(round_=w.judged.round, actor=w.organiser, now=NOW)),
    "scoring.configured": (None, lambda w, c: scoring.configure_edition_scoring(
        edition=w.edition, team_method="sum", team_best_k=None, individual_quotas={"first": 1}, team_quotas={},
        actor=w.organiser, now=NOW)),
    # People, tokens, banks, logins.
    "registration.password_reset": (None, lambda w, c: registration.reset_passwords(
        edition=w.edition, actor=w.organiser, registrations=[w.judged.registrations[0]], now=NOW)),
    "api_token.created": (None, lambda w, c: api_tokens.create_token(user=w.organiser, name="Báo cáo", now=NOW)),
    "api_token.revoked": (lambda w: setattr(w, "token", api_tokens.create_token(
        user=w.organiser, name="Báo cáo", now=NOW)[0]),
        lambda w, c: api_tokens.revoke_token(token=w.token, actor=w.organiser, now=NOW)),
    "bank.created": (None, lambda w, c: _create_bank(w)),
    "bank.media_uploaded": (None, lambda w, c: upload_media(
        bank=factories.make_bank(edition=w.edition), data=PNG, name="logo.png", actor=w.organiser, now=NOW)),
    "question.filed": (None, lambda w, c: file_question(
        question=w.judged.questions[0], category=None, tag_names=["tin học"], idnumber="Q1", actor=w.organiser,
        now=NOW)),
    "edition.exported": (None, lambda w, c: export_edition(edition=w.edition, actor=w.organiser, now=NOW)),
    "question.created": (None, lambda w, c: _create_question(w)),
    "auth.login": (None, lambda w, c: _login(w, c, "matkhau-thu-1")),
    "auth.login_failed": (None, lambda w, c: _login(w, c, "sai-mat-khau")),
}  # fmt: skip


def _create_bank(w):
    from quizzes.filing import create_bank

    return create_bank(edition=w.edition, name="Ngân hàng kiểm tra", actor=w.organiser, now=NOW)


def _create_question(w):
    from quizzes.services import QuestionContent, create_question

    bank = factories.make_bank(edition=w.edition)
    content = QuestionContent(
        qtype="truefalse", name="Đúng sai", stem_html="<p>Hà Nội là thủ đô?</p>", definition={"correct": True}
    )
    return create_question(bank=bank, content=content, actor=w.organiser, now=NOW)


def test_every_audited_action_in_the_code_is_listed_here():
    listed = set(DRIVEN) | set(COVERED_ELSEWHERE)
    assert discovered_actions() - listed == set()
    assert listed - discovered_actions() == set()


def test_the_actions_covered_elsewhere_are_counted_by_their_owners_tests():
    for action, path in COVERED_ELSEWHERE.items():
        assert f'"{action}"' in (ROOT / path).read_text(encoding="utf-8"), (action, path)


@pytest.mark.parametrize("action", sorted(DRIVEN))
def test_each_action_writes_exactly_one_audit_row(action, client, edition, organiser, judge, head_judge):
    world = World(edition, organiser, judge, head_judge)
    prepare, perform = DRIVEN[action]
    if prepare is not None:
        prepare(world)
    before = AuditLog.objects.count()
    of_action = AuditLog.objects.filter(action=action).count()
    perform(world, client)
    assert AuditLog.objects.filter(action=action).count() == of_action + 1
    assert AuditLog.objects.count() == before + 1


def test_the_application_cannot_edit_or_delete_audit_rows(edition, organiser):
    row = AuditLog.objects.create(action="round.start", actor_id=organiser.pk, created_at=NOW)
    row.reason = "sửa lại"
    with pytest.raises(AuditLogImmutableError):
        row.save()
    with pytest.raises(AuditLogImmutableError):
        row.delete()
    with pytest.raises(AuditLogImmutableError):
        AuditLog.objects.filter(pk=row.pk).update(reason="sửa lại")
    with pytest.raises(AuditLogImmutableError):
        AuditLog.objects.filter(pk=row.pk).delete()
    with pytest.raises(AuditLogImmutableError):
        AuditLog.objects.all().delete()
    assert AuditLog.objects.get(pk=row.pk).reason == ""


def test_judging_actions_name_the_judge_by_id_and_role(edition, organiser, judge, head_judge):
    world = World(edition, organiser, judge, head_judge)
    attempt, slot = world.essay(0)
    judging.mark_answer(attempt_id=attempt.pk, slot=slot, judge=judge, awarded={"total": "3"}, now=NOW)
    row = AuditLog.objects.get(action="score.marked")
    assert (row.actor_id, row.actor_role, row.edition_id) == (judge.pk, "judge", edition.pk)
    assert row.after["mark"] == str(Decimal("3.00"))
