"""Key fixes and the regrade they cause: correct a key, accept several keys, void a question,
or restore the original key, in one round.

A fix is a new :class:`~contest.models.KeyFix` row holding the full definition to grade with
(question versions are frozen once a round starts, so the bank is never touched). The regrade
runs in a savepoint: the dry run applies it, ranks the round before and after
(:func:`contest.ranking.rank_changes`: who gains or loses points and places) and rolls it all
back; applying does the same and commits, with one audit row (``key.fixed``) and ``board.hint``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from contest import judging_selectors as selectors
from contest import scoring_selectors, states
from contest.models import Appeal, Attempt, KeyFix, Round
from contest.ranking import RankChange, rank_changes
from contest.services.errors import Invalid, NotAllowed
from contest.services.judging import check_reason, check_unlocked, hint, recompute, record
from quizzes import question_types


@dataclass(frozen=True)
class Regrade:
    fix: KeyFix
    changes: tuple[RankChange, ...]
    names: dict
    applied: bool


class _DryRun(Exception):
    def __init__(self, regrade: Regrade):
        self.regrade = regrade


def fixed_definition(qtype: str, definition: dict, kind: str, key: list[str]) -> dict | None:
    """The definition to grade with after the fix; None for void and restore."""
    if kind in (KeyFix.Kind.VOID, KeyFix.Kind.RESTORE):
        return None
    key = [k.strip() for k in key if k and k.strip()]
    if not key:
        raise Invalid(_("Chọn hoặc nhập ít nhất một đáp án đúng."))
    fixed = copy.deepcopy(definition)
    if qtype in ("single", "multiple"):
        ids = {o["id"] for o in fixed["options"]}
        if unknown := [k for k in key if k not in ids]:
            raise Invalid(_("Phương án không có trong câu hỏi: %(ids)s.") % {"ids": ", ".join(unknown)})
        if qtype == "single" and kind == KeyFix.Kind.CORRECT and len(key) != 1:
            raise Invalid(_("Câu một lựa chọn có đúng một đáp án; dùng “chấp nhận nhiều đáp án”."))
        share = 1.0 if qtype == "single" else round(1 / len(key), 5)
        wrong = 0.0 if qtype == "single" else -share
        for option in fixed["options"]:
            option["fraction"] = share if option["id"] in key else wrong
    elif qtype == "truefalse":
        if kind != KeyFix.Kind.CORRECT or key not in (["true"], ["false"]):
            raise Invalid(_("Câu đúng/sai: chọn đúng một đáp án (đúng hoặc sai)."))
        fixed["correct"] = key == ["true"]
    elif qtype == "short":
        answers = [{"text": text, "fraction": 1.0, "feedback": ""} for text in key]
        fixed["answers"] = answers if kind == KeyFix.Kind.CORRECT else [*answers, *fixed["answers"]]
    elif qtype == "numeric":
        tolerance = (fixed.get("answers") or [{}])[0].get("tolerance", 0) or 0
        values = [question_types.parse_number(text) for text in key]
        if None in values:
            raise Invalid(_("Đáp án của câu số phải là số."))
        answers = [{"value": v, "tolerance": tolerance, "fraction": 1.0, "feedback": ""} for v in values]
        fixed["answers"] = answers if kind == KeyFix.Kind.CORRECT else [*answers, *fixed["answers"]]
    else:
        raise Invalid(_("Không sửa đáp án được cho loại câu hỏi này; hãy điều chỉnh điểm từng bài."))
    if errors := question_types.validate_definition(qtype, fixed):
        raise Invalid(" ".join(errors))
    return fixed


def _regrade(round_, version, version_id, kind, key, reason, actor, now, ip, appeal) -> Regrade:
    before = scoring_selectors.round_standing(round_, now=now)
    fix = KeyFix.objects.create(
        round=round_,
        question_id=version["question_id"],
        version_id=version_id,
        kind=kind,
        definition=fixed_definition(version["qtype"], version["definition"], kind, key),
        key=key if kind in (KeyFix.Kind.CORRECT, KeyFix.Kind.ACCEPT) else [],
        reason=reason,
        actor=actor,
        appeal=appeal,
        created_at=now,
    )
    attempts = list(
        Attempt.objects.select_for_update().filter(round=round_, state=Attempt.State.SUBMITTED).order_by("pk")
    )
    changed = recompute(attempts)
    after = scoring_selectors.round_standing(round_, now=now)
    names = {row.registration_id: f"{row.name} ({row.code})" for row in after.everyone}
    changes = rank_changes(before.ranking, after.ranking)
    if changed:
        hint(round_.pk)
    record(
        "key.fixed",
        actor=actor,
        round_=round_,
        obj=fix,
        before={"version_id": version_id},
        after={
            "kind": kind,
            "key": fix.key,
            "attempts_changed": len(changed),
            "appeal": appeal.pk if appeal else None,
        },
        reason=reason,
        ip=ip,
        now=now,
    )
    return Regrade(fix, changes, names, applied=True)


def fix_key(
    *,
    round_: Round,
    version_id: int,
    kind: str,
    key: list[str],
    reason: str,
    actor,
    now,
    apply: bool,
    ip=None,
    appeal: Appeal | None = None,
) -> Regrade:
    """Fix a question's key in a closed round and regrade every submitted attempt.

    ``apply=False`` is the dry run: the same regrade in a savepoint that is rolled back (no row,
    no audit, no event survives). ``apply=True`` commits it with one audit row (``key.fixed``)
    and emits ``board.hint``. After the sign-off lock only with an accepted ``appeal``.
    """
    if kind not in KeyFix.Kind.values:
        raise Invalid(_("Loại sửa đáp án không hợp lệ."))
    if round_.state != states.CLOSED:
        raise NotAllowed(_("Chỉ sửa đáp án sau khi vòng thi kết thúc."))
    reason = check_reason(reason)
    try:
        with transaction.atomic():
            Round.objects.select_for_update().get(pk=round_.pk)
            check_unlocked(round_, appeal=appeal)
            versions = selectors.round_versions(round_)
            if version_id not in versions:
                raise Invalid(_("Câu hỏi không có trong vòng thi."))
            regrade = _regrade(
                round_, versions[version_id], version_id, kind, key, reason, actor, now, ip, appeal
            )
            if not apply:
                raise _DryRun(regrade)
    except _DryRun as dry:
        return Regrade(dry.regrade.fix, dry.regrade.changes, dry.regrade.names, applied=False)
    return regrade
