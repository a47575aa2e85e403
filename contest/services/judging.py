"""The judging board's writes about scores: settings, rubrics, manual marks and adjustments.

Every write is a new row (marks, adjustments, key fixes are append-only) and, in the same
transaction, the affected attempts' ``score``, ``pending_count`` and ``max_score`` are set to
the effective values of :func:`contest.judging_selectors.scoring_state`: rankings are
recomputed from attempts, so the boards see a judge's decision as soon as it commits. Each
public function writes exactly one audit row and, when scores may have changed, publishes
``board.hint`` to the round's control group after commit.

Judges work on submitted attempts only (an attempt still being written keeps its running total
in ``contest.services.answers``), and once the round's results are locked by the sign-off a
score changes only through an accepted appeal (:func:`check_unlocked`).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from contest import audit, events, marking, permissions
from contest import judging_selectors as selectors
from contest.models import Appeal, Attempt, Mark, Round, RoundJudging, Rubric, ScoreAdjustment
from contest.services.errors import Invalid, NotAllowed
from quizzes import question_types


def hint(round_id: int) -> None:
    events.publish_on_commit(events.control_group(round_id), {"type": events.BOARD_HINT})


def record(action, *, actor, round_, obj, before=None, after=None, reason="", ip=None, now=None) -> None:
    audit.record(
        action=action,
        actor=actor,
        actor_role=permissions.actor_role(actor, round_.edition),
        edition=round_.edition_id,
        obj=obj,
        before=before,
        after=after,
        reason=reason,
        ip=ip,
        now=now,
    )


def points_value(value, message: str) -> Decimal:
    """A score typed by a person ("7,5" or "7.5"), refused clearly when it is not a number."""
    try:
        number = Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        raise Invalid(message) from None
    if not number.is_finite() or number < 0:
        raise Invalid(message)
    return number.quantize(Decimal("0.01"))


def check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise Invalid(_("Phải ghi rõ lý do (ít nhất 5 ký tự)."))
    return reason


def check_unlocked(round_: Round, *, appeal: Appeal | None = None) -> None:
    """After the sign-off lock a score changes only through an accepted appeal of this round.
    Locks the round's judging row, so a mark and the last signature cannot cross each other
    (``signoff.sign_off`` takes the same lock). Call inside the transaction that writes."""
    RoundJudging.objects.get_or_create(round=round_)
    judging = RoundJudging.objects.select_for_update().get(round=round_)
    if judging.locked_at is None:
        return
    if appeal is not None and appeal.state == Appeal.State.ACCEPTED and appeal.attempt.round_id == round_.pk:
        return
    raise NotAllowed(
        _("Kết quả vòng thi đã được ký xác nhận và khoá; chỉ thay đổi qua khiếu nại được chấp nhận.")
    )


def locked_attempt(attempt_id: int) -> Attempt:
    attempt = (
        Attempt.objects.select_for_update(of=("self",)).select_related("round__edition").get(pk=attempt_id)
    )
    if attempt.state != Attempt.State.SUBMITTED:
        raise NotAllowed(_("Bài làm chưa nộp: chỉ chấm bài đã nộp."))
    return attempt


def unlocked_attempt(attempt_id: int) -> Attempt:
    """The attempt, locked, once its round is known to be unlocked. Locks are always taken in
    the order judging row, then attempts (as ``save_rubric`` and ``fix_key`` do): no deadlock."""
    round_ = Round.objects.select_related("edition").get(attempts__pk=attempt_id)
    check_unlocked(round_)
    return locked_attempt(attempt_id)


def recompute(attempts: list[Attempt]) -> dict[int, tuple[Decimal, Decimal]]:
    """Write each attempt's effective totals; returns {attempt id: (old score, new score)} for
    those that changed. The caller holds the transaction and the attempts' row locks."""
    states = selectors.scoring_state(attempts)
    changed = {}
    for attempt in attempts:
        totals = states[attempt.pk].totals
        if (attempt.score, attempt.pending_count, attempt.max_score) == (
            totals.score,
            totals.pending_count,
            totals.max_score,
        ):
            continue
        changed[attempt.pk] = (attempt.score, totals.score)
        attempt.score, attempt.pending_count, attempt.max_score = (
            totals.score,
            totals.pending_count,
            totals.max_score,
        )
        attempt.save(update_fields=["score", "pending_count", "max_score"])
    return changed


def _slot(attempt: Attempt, slot: int) -> dict:
    slots = attempt.paper.get("slots", [])
    if not 0 <= slot < len(slots):
        raise Invalid(_("Câu hỏi không có trong bài làm."))
    return slots[slot]


# --- Settings and rubrics ------------------------------------------------------------------


@transaction.atomic
def configure_judging(*, round_: Round, values: dict, actor, now, ip=None) -> RoundJudging:
    """Signers, the double-marking threshold and settling, the panel method, what contestants
    see after publication and the appeal window. Audited (``judging.configured``). Refused once
    the results are locked."""
    check_unlocked(round_)
    judging, _created = RoundJudging.objects.select_for_update().get_or_create(round=round_)
    fields = ["required_signers", "head_judge_must_sign", "discrepancy_threshold", "settle_method"]
    fields += ["panel_method", "review", "appeal_hours"]
    before = {name: str(getattr(judging, name)) for name in fields}
    for name in fields:
        if name in values:
            setattr(judging, name, values[name])
    if not 1 <= int(judging.required_signers) <= 15:
        raise Invalid(_("Số giám khảo phải ký từ 1 đến 15."))
    judging.discrepancy_threshold = points_value(
        judging.discrepancy_threshold, _("Độ chênh lệch phải là một số.")
    )
    try:
        judging.full_clean(exclude=["round"])
    except Exception as error:
        raise Invalid(_("Cài đặt chấm thi không hợp lệ.")) from error
    judging.save()
    after = {name: str(getattr(judging, name)) for name in fields}
    record(
        "judging.configured",
        actor=actor,
        round_=round_,
        obj=judging,
        before=before,
        after=after,
        ip=ip,
        now=now,
    )
    return judging


def parse_criteria(lines: str) -> list[dict]:
    """Criteria typed one a line as ``label: max points``; errors name the line."""
    criteria = []
    for number, line in enumerate((lines or "").splitlines(), start=1):
        if not line.strip():
            continue
        label, sep, maximum = line.rpartition(":")
        if not sep or not label.strip():
            raise Invalid(_("Dòng %(n)s: viết “tên tiêu chí: điểm tối đa”.") % {"n": number})
        value = points_value(maximum, _("Dòng %(n)s: điểm tối đa phải là một số.") % {"n": number})
        criteria.append({"id": f"c{len(criteria) + 1}", "label": label.strip(), "max": str(value)})
    return criteria


@transaction.atomic
def save_rubric(
    *, round_: Round, question_id: int, criteria: list[dict], mode: str, panel_size: int, actor, now, ip=None
) -> Rubric:
    """A manual question's criteria and marking mode (single, double, panel). Audited
    (``judging.rubric_saved``); scores are recomputed (a mode change can settle or reopen marks)."""
    check_unlocked(round_)
    if mode not in Rubric.Mode.values:
        raise Invalid(_("Cách chấm không hợp lệ."))
    if mode == Rubric.Mode.PANEL and not 1 <= int(panel_size) <= 15:
        raise Invalid(_("Hội đồng có từ 1 đến 15 giám khảo."))
    rubric = Rubric.objects.select_for_update().filter(round=round_, question_id=question_id).first()
    before = (
        {"criteria": rubric.criteria, "mode": rubric.mode, "panel_size": rubric.panel_size}
        if rubric
        else None
    )
    rubric = rubric or Rubric(round=round_, question_id=question_id)
    rubric.criteria, rubric.mode, rubric.panel_size, rubric.updated_at = criteria, mode, int(panel_size), now
    rubric.save()
    attempts = list(
        Attempt.objects.select_for_update().filter(round=round_, state=Attempt.State.SUBMITTED).order_by("pk")
    )
    if recompute(attempts):
        hint(round_.pk)
    after = {"criteria": criteria, "mode": mode, "panel_size": int(panel_size)}
    record(
        "judging.rubric_saved",
        actor=actor,
        round_=round_,
        obj=rubric,
        before=before,
        after=after,
        ip=ip,
        now=now,
    )
    return rubric


# --- Marks and adjustments ------------------------------------------------------------------


def _check_may_mark(attempt: Attempt, slot: int, judge) -> None:
    """Double marking: a third judge only once two marks disagree beyond the threshold."""
    state = selectors.scoring_state([attempt])[attempt.pk].slots[slot]
    judges = {m.judge_id for m in state.marks}
    extra = state.rule.mode == Rubric.Mode.DOUBLE and judge.pk not in judges and len(judges) >= 2
    if extra and (len(judges) >= 3 or state.score.source != "needs_third"):
        raise NotAllowed(_("Câu này đã có đủ giám khảo chấm."))


def _new_mark(attempt: Attempt, slot: int, judge, awarded: dict, comment: str, now) -> Mark:
    """Check a rubric mark of one manual question of ``attempt`` and store it (no audit)."""
    slot_info = _slot(attempt, slot)
    if not question_types.is_manual(slot_info["qtype"]):
        raise Invalid(_("Câu này được chấm tự động; hãy dùng điều chỉnh điểm có lý do."))
    criteria = selectors.rubric_criteria(attempt.round, slot_info)
    points = {key: points_value(value, _("Điểm phải là số không âm.")) for key, value in awarded.items()}
    try:
        total = marking.rubric_total(criteria, points)
    except ValueError as error:
        raise Invalid(str(error)) from None
    if total > Decimal(slot_info["points"]):
        raise Invalid(
            _("Tổng điểm %(t)s vượt quá điểm của câu (%(p)s).") % {"t": total, "p": slot_info["points"]}
        )
    _check_may_mark(attempt, slot, judge)
    return Mark.objects.create(
        attempt=attempt,
        slot=slot,
        judge=judge,
        criteria={str(k): str(v) for k, v in points.items()},
        total=total,
        comment=(comment or "").strip(),
        created_at=now,
    )


@transaction.atomic
def mark_answer(*, attempt_id: int, slot: int, judge, awarded: dict, comment: str = "", now, ip=None) -> Mark:
    """A judge's mark of a manually marked answer, criterion by criterion (``awarded``: criterion
    id -> points). A judge marking again supersedes their earlier mark. Audited
    (``score.marked``); the attempt's total follows; emits ``board.hint``."""
    attempt = unlocked_attempt(attempt_id)
    mark = _new_mark(attempt, slot, judge, awarded, comment, now)
    before = str(attempt.score)
    if recompute([attempt]):
        hint(attempt.round_id)
    record(
        "score.marked",
        actor=judge,
        round_=attempt.round,
        obj=mark,
        before={"attempt_score": before},
        after={"slot": slot, "mark": str(mark.total), "attempt_score": str(attempt.score)},
        now=now,
        ip=ip,
    )
    return mark


@transaction.atomic
def mark_team(
    *, round_: Round, team_id: int, question_id: int, judge, awarded: dict, comment: str = "", now, ip=None
) -> list[Mark]:
    """A judge's mark of a team's presentation (a manual question, usually panel-marked): the
    same mark goes to every member's submitted attempt, in whichever slot their paper put the
    question. Audited once (``score.marked_team``); emits ``board.hint``."""
    check_unlocked(round_)
    attempts = list(
        Attempt.objects.select_for_update(of=("self",))
        .select_related("round__edition")
        .filter(round=round_, registration__team_id=team_id, state=Attempt.State.SUBMITTED)
        .order_by("pk")
    )
    marks = []
    for attempt in attempts:
        slot = next((s["slot"] for s in attempt.paper["slots"] if s["question_id"] == question_id), None)
        if slot is not None:
            marks.append(_new_mark(attempt, slot, judge, awarded, comment, now))
    if not marks:
        raise NotAllowed(_("Đội không có bài nộp nào có câu hỏi này."))
    if recompute(attempts):
        hint(round_.pk)
    record(
        "score.marked_team",
        actor=judge,
        round_=round_,
        obj=marks[0],
        after={
            "team": team_id,
            "question": question_id,
            "mark": str(marks[0].total),
            "marks": [m.pk for m in marks],
        },
        now=now,
        ip=ip,
    )
    return marks


def apply_adjustment(*, attempt: Attempt, slot: int | None, new_points, reason: str, actor, now, appeal=None):
    """Write one adjustment and the attempt's new total, without auditing: for
    :func:`adjust_score` and an accepted appeal (which audits its own decision)."""
    state = selectors.scoring_state([attempt])[attempt.pk]
    if slot is None:
        old = state.totals.score
        limit = None
    else:
        _slot(attempt, slot)
        old = state.slots[slot].score.points
        limit = Decimal(state.slots[slot].slot["points"])
    new = points_value(new_points, _("Điểm mới phải là số không âm."))
    if limit is not None and new > limit:
        raise Invalid(_("Điểm mới vượt quá điểm của câu (%(p)s).") % {"p": limit})
    adjustment = ScoreAdjustment.objects.create(
        attempt=attempt,
        slot=slot,
        old_points=old,
        new_points=new,
        reason=check_reason(reason),
        actor=actor,
        appeal=appeal,
        created_at=now,
    )
    if recompute([attempt]):
        hint(attempt.round_id)
    return adjustment


@transaction.atomic
def adjust_score(*, attempt_id: int, slot: int | None, new_points, reason: str, actor, now, ip=None):
    """Change one question's score (``slot``) or the attempt's total (``slot`` None), only with
    a written reason; a new revision, never an overwrite. Audited (``score.adjusted``, old →
    new); emits ``board.hint``. Refused once locked (appeals go through the appeal decision)."""
    attempt = unlocked_attempt(attempt_id)
    adjustment = apply_adjustment(
        attempt=attempt, slot=slot, new_points=new_points, reason=reason, actor=actor, now=now
    )
    record(
        "score.adjusted",
        actor=actor,
        round_=attempt.round,
        obj=adjustment,
        before={"slot": slot, "points": str(adjustment.old_points)},
        after={"slot": slot, "points": str(adjustment.new_points), "attempt_score": str(attempt.score)},
        reason=adjustment.reason,
        ip=ip,
        now=now,
    )
    return adjustment


def export_audit_log(*, edition, rows, filters: dict, actor, now, ip=None) -> str:
    """The filtered audit rows as CSV (UTF-8 with BOM); the export itself is audited
    (``audit.exported``, with the filters and the row count) after the rows were read."""
    from contest.judging_reports import audit_csv

    text = audit_csv(rows)
    audit.record(
        action="audit.exported",
        actor=actor,
        actor_role=permissions.actor_role(actor, edition),
        edition=edition,
        after={"filters": {k: v for k, v in filters.items() if v}, "rows": rows.count()},
        ip=ip,
        now=now,
    )
    return text
