"""Sign-off, publication and appeals (khiếu nại).

- A judge signs a closed round's results once nothing is pending; when the round's required
  number of judges have signed (the head judge among them if the round says so) the results
  lock (``RoundJudging.locked_at``): from then on scores change only through an accepted appeal.
- Publishing (head judge or organiser, only once locked) sets ``RoundBoard.scores_published_at``,
  the one publication flag the boards and the contestants' pages read.
- Within ``appeal_hours`` after publication a contestant appeals one question of their own
  attempt; judges recommend; the head judge decides with a written answer. Accepting with a new
  score writes the adjustment in the same transaction; accepting without one leaves the head
  judge to run the key fix (``contest.services.keyfixes.fix_key(appeal=...)``).

Each function writes exactly one audit row; those that can change scores or publication emit
``board.hint`` after commit.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from contest import audit, permissions, states
from contest import judging_selectors as selectors
from contest.models import Appeal, AppealRecommendation, Attempt, Round, RoundBoard, RoundJudging, SignOff
from contest.services.errors import Invalid, NotAllowed
from contest.services.judging import apply_adjustment, check_reason, hint, locked_attempt, record


@transaction.atomic
def sign_off(*, round_: Round, judge, now, ip=None) -> RoundJudging:
    """Sign a closed round's results. Audited (``results.signed``, with whether it locked)."""
    judging, _created = RoundJudging.objects.select_for_update().get_or_create(round=round_)
    if round_.state != states.CLOSED:
        raise NotAllowed(_("Chỉ ký xác nhận khi vòng thi đã kết thúc."))
    if judging.locked_at is not None:
        raise NotAllowed(_("Kết quả đã được khoá."))
    pending = Attempt.objects.filter(round=round_).aggregate(n=Sum("pending_count"))["n"] or 0
    if pending:
        raise NotAllowed(_("Còn %(n)s câu chưa chấm xong; chưa thể ký xác nhận.") % {"n": pending})
    if SignOff.objects.filter(round=round_, judge=judge).exists():
        raise NotAllowed(_("Bạn đã ký xác nhận vòng thi này."))
    head = permissions.is_head_judge(judge, round_.edition)
    signature = SignOff.objects.create(round=round_, judge=judge, is_head_judge=head, signed_at=now)
    signed = list(SignOff.objects.filter(round=round_))
    complete = len(signed) >= judging.required_signers and (
        not judging.head_judge_must_sign or any(s.is_head_judge for s in signed)
    )
    if complete:
        judging.locked_at = now
        judging.save(update_fields=["locked_at"])
    record(
        "results.signed",
        actor=judge,
        round_=round_,
        obj=signature,
        after={"signatures": len(signed), "required": judging.required_signers, "locked": complete},
        ip=ip,
        now=now,
    )
    return judging


@transaction.atomic
def publish_results(*, round_: Round, actor, now, ip=None) -> RoundBoard:
    """Show the locked results to contestants (as the review setting allows) and on the boards.
    Audited (``results.published``); emits ``board.hint``."""
    if selectors.get_judging(round_).locked_at is None:
        raise NotAllowed(_("Chỉ công bố sau khi đủ giám khảo ký xác nhận."))
    RoundBoard.objects.get_or_create(round=round_)
    board = RoundBoard.objects.select_for_update().get(round=round_)
    if board.scores_published_at is not None:
        raise NotAllowed(_("Kết quả đã được công bố."))
    board.scores_published_at = now
    board.save(update_fields=["scores_published_at"])
    hint(round_.pk)
    record(
        "results.published",
        actor=actor,
        round_=round_,
        obj=board,
        after={"published_at": now.isoformat()},
        ip=ip,
        now=now,
    )
    return board


def appeal_deadline(round_: Round):
    """When appeals close, or None before publication."""
    board = RoundBoard.objects.filter(round=round_).first()
    if board is None or board.scores_published_at is None:
        return None
    return board.scores_published_at + timedelta(hours=selectors.get_judging(round_).appeal_hours)


@transaction.atomic
def submit_appeal(*, attempt: Attempt, slot: int, reason: str, user, now, ip=None) -> Appeal:
    """A contestant's appeal about one question of their OWN attempt, within the window.
    Audited (``appeal.submitted``)."""
    if not permissions.owns_attempt(user, attempt):
        raise NotAllowed(_("Đây không phải bài làm của bạn."))
    deadline = appeal_deadline(attempt.round)
    if deadline is None or now > deadline:
        raise NotAllowed(_("Không trong thời hạn khiếu nại."))
    if not 0 <= slot < len(attempt.paper.get("slots", [])):
        raise Invalid(_("Câu hỏi không có trong bài làm."))
    if Appeal.objects.filter(attempt=attempt, slot=slot, state=Appeal.State.OPEN).exists():
        raise NotAllowed(_("Bạn đã khiếu nại câu này; đang chờ trả lời."))
    appeal = Appeal.objects.create(
        attempt=attempt,
        registration=attempt.registration,
        slot=slot,
        reason=check_reason(reason),
        submitted_at=now,
    )
    audit.record(
        action="appeal.submitted",
        actor=user,
        actor_role="contestant",
        edition=attempt.round.edition_id,
        obj=appeal,
        after={"slot": slot},
        reason=appeal.reason,
        ip=ip,
        now=now,
    )
    return appeal


def _open_appeal(appeal_id: int) -> Appeal:
    appeal = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("attempt__round__edition")
        .get(pk=appeal_id)
    )
    if appeal.state != Appeal.State.OPEN:
        raise NotAllowed(_("Khiếu nại này đã được giải quyết."))
    return appeal


@transaction.atomic
def recommend_appeal(*, appeal_id: int, judge, accept: bool, text: str, now, ip=None) -> AppealRecommendation:
    """A judge's recommendation for the head judge. Audited (``appeal.recommended``)."""
    appeal = _open_appeal(appeal_id)
    recommendation = AppealRecommendation.objects.create(
        appeal=appeal, judge=judge, accept=accept, text=check_reason(text), created_at=now
    )
    round_ = appeal.attempt.round
    record(
        "appeal.recommended",
        actor=judge,
        round_=round_,
        obj=appeal,
        after={"accept": accept},
        reason=recommendation.text,
        ip=ip,
        now=now,
    )
    return recommendation


@transaction.atomic
def decide_appeal(
    *, appeal_id: int, head_judge, accept: bool, answer: str, new_points=None, now, ip=None
) -> Appeal:
    """The head judge's decision with a written answer. Accepting with ``new_points`` adjusts the
    question's score (the adjustment path, allowed despite the lock) in the same transaction.
    Audited (``appeal.decided``, one row including the score change); emits ``board.hint``."""
    appeal = _open_appeal(appeal_id)
    appeal.state = Appeal.State.ACCEPTED if accept else Appeal.State.REJECTED
    appeal.answer = check_reason(answer)
    appeal.decided_by, appeal.decided_at = head_judge, now
    appeal.save(update_fields=["state", "answer", "decided_by", "decided_at"])
    before = after = None
    if accept and new_points not in (None, ""):
        attempt = locked_attempt(appeal.attempt_id)
        before = {"attempt_score": str(attempt.score)}
        adjustment = apply_adjustment(
            attempt=attempt, slot=appeal.slot, new_points=new_points, reason=appeal.answer, actor=head_judge,
            now=now, appeal=appeal,
        )  # fmt: skip
        before["points"] = str(adjustment.old_points)
        after = {"points": str(adjustment.new_points), "attempt_score": str(attempt.score)}
    record(
        "appeal.decided",
        actor=head_judge,
        round_=appeal.attempt.round,
        obj=appeal,
        before=before,
        after={"state": appeal.state, **(after or {})},
        reason=appeal.answer,
        ip=ip,
        now=now,
    )
    return appeal
