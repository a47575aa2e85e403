"""What the judging pages show, built from :mod:`contest.judging_selectors`: an answer sheet as
the contestant saw it (their question and option order) with the key and every score's origin,
the round's item analysis, and the audit log's filtered listing and CSV export. Reads only.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from contest import item_analysis, permissions
from contest import judging_selectors as selectors
from contest.models import AnswerUpload, Attempt, AuditLog, Round, Rubric
from contest.ranking import VIETNAM
from quizzes import question_types
from quizzes.models import Question
from quizzes.rendering import render_html

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _option_key(qtype: str, definition: dict) -> set[str]:
    if qtype in ("single", "multiple"):
        return {o["id"] for o in definition.get("options", []) if float(o.get("fraction", 0)) > 0}
    if qtype == "truefalse":
        return {"true" if definition.get("correct") else "false"}
    return set()


def _chosen(qtype: str, response: dict | None) -> set[str]:
    response = response or {}
    if qtype == "single" and response.get("choice"):
        return {response["choice"]}
    if qtype == "multiple":
        return set(response.get("choices") or [])
    if qtype == "truefalse" and response.get("value") is not None:
        return {"true" if response["value"] else "false"}
    return set()


def _key_text(qtype: str, definition: dict) -> str:
    """The key of a non-choice question in words (choice keys are marked on the options)."""
    if qtype == "short":
        return " | ".join(a["text"] for a in definition.get("answers", []) if a.get("fraction", 0) > 0)
    if qtype == "numeric":
        return " | ".join(
            f"{a['value']} ± {a.get('tolerance', 0)}"
            for a in definition.get("answers", [])
            if a.get("fraction", 0) > 0
        )
    if qtype == "ordering":
        return " → ".join(item["id"] for item in definition.get("items", []))
    if qtype == "matching":
        return "; ".join(f"{p['id']}: {p['answer']}" for p in definition.get("pairs", []))
    return ""


def _response_text(qtype: str, response: dict | None) -> str:
    response = response or {}
    if qtype in ("short", "essay"):
        return response.get("text", "")
    if qtype == "numeric":
        return str(response.get("value", ""))
    if qtype == "ordering":
        return " → ".join(response.get("order", []))
    if qtype == "matching":
        return "; ".join(f"{k}: {v}" for k, v in (response.get("pairs") or {}).items())
    if qtype == "file":
        return _("Tệp đã nộp #%(id)s") % {"id": response["upload_id"]} if response.get("upload_id") else ""
    return ""


def sheet(attempt: Attempt, *, with_key: bool = True, judge=None) -> dict:
    """The attempt's answer sheet in the contestant's order: each question with its options in
    their order (letters as they saw them), what they chose, the key (if ``with_key``), the
    auto grade, the marks, adjustments and the effective score with its origin. For a
    ``judge``, each question also carries its rubric criteria, and the other judges' marks are
    withheld while double marking is still blind to them (:func:`permissions.sees_other_marks`)."""
    state = selectors.scoring_state([attempt])[attempt.pk]
    banks = dict(
        Question.objects.filter(pk__in=[s.slot["question_id"] for s in state.slots]).values_list(
            "pk", "bank_id"
        )
    )
    uploads = {  # only this attempt's files, never one another contestant named
        u.pk: u
        for u in AnswerUpload.objects.filter(attempt=attempt).select_related("attempt__round__edition")
    }
    questions = []
    for s in state.slots:
        bank_id = banks.get(s.slot["question_id"], 0)
        public = question_types.public_definition(s.qtype, s.original_definition, s.slot.get("option_order"))
        key = _option_key(s.qtype, s.definition) if with_key else set()
        chosen = _chosen(s.qtype, s.revision.response if s.revision else None)
        options = [
            {"letter": LETTERS[i % 26], "html": render_html(o.get("html", ""), bank_id), "chosen": o["id"] in chosen,
             "key": o["id"] in key}
            for i, o in enumerate(public.get("options", []))
        ]  # fmt: skip
        if s.qtype == "truefalse":
            options = [
                {"letter": "", "html": label, "chosen": value in chosen, "key": value in key}
                for value, label in (("true", _("Đúng")), ("false", _("Sai")))
            ]
        questions.append(
            {
                "slot": s.slot["slot"],
                "number": s.slot["slot"] + 1,
                "qtype": s.qtype,
                "manual": question_types.is_manual(s.qtype),
                "points": Decimal(s.slot["points"]),
                "stem_html": render_html(s.stem_html, bank_id),
                "options": options,
                "response_text": _response_text(s.qtype, s.revision.response if s.revision else None),
                "key_text": _key_text(s.qtype, s.definition) if with_key else "",
                "upload": uploads.get((s.revision.response or {}).get("upload_id")) if s.revision else None,
                "answered": s.revision is not None,
                "auto_points": s.revision.points if s.revision else None,
                "fix": s.fix,
                "marks": _visible_marks(s, attempt, judge),
                "hidden_marks": len(s.marks) - len(_visible_marks(s, attempt, judge)),
                "criteria": selectors.rubric_criteria(attempt.round, s.slot) if judge is not None else [],
                "adjustments": s.adjustments,
                "score": s.score,
                "mode": s.rule.mode,
                "mode_label": Rubric.Mode(s.rule.mode).label,
            }
        )
    return {
        "attempt": attempt,
        "questions": questions,
        "totals": state.totals,
        "total_adjustments": state.total_adjustments,
    }


def _visible_marks(s, attempt: Attempt, judge) -> list:
    if judge is None:
        return s.marks
    has_marked = any(mark.judge_id == judge.pk for mark in s.marks)
    if permissions.sees_other_marks(judge, attempt.round.edition, mode=s.rule.mode, has_marked=has_marked):
        return s.marks
    return []


# --- Item analysis ------------------------------------------------------------------------------


def item_report(round_: Round) -> list[dict]:
    """Per question of the round (by version): facility, discrimination, option counts and flags,
    from the submitted attempts' effective scores (key fixes included)."""
    attempts = list(Attempt.objects.filter(round=round_, state=Attempt.State.SUBMITTED))
    states = selectors.scoring_state(attempts)
    versions = selectors.round_versions(round_)
    keys, responses, totals = [], [], {}
    fixes = selectors.latest_key_fixes(round_.pk)
    effective = {
        v: selectors.effective_definition(info["definition"], fixes.get(v)) for v, info in versions.items()
    }
    for version_id, info in versions.items():
        qtype = info["qtype"]
        if not question_types.is_answerable(qtype):
            continue
        options = ()
        if qtype in ("single", "multiple"):
            options = tuple(o["id"] for o in effective[version_id]["options"])
        elif qtype == "truefalse":
            options = ("true", "false")
        keys.append(
            item_analysis.ItemKey(version_id, options, frozenset(_option_key(qtype, effective[version_id])))
        )
    known = {key.question_id for key in keys}
    for attempt in attempts:
        totals[attempt.pk] = states[attempt.pk].totals.score
        for s in states[attempt.pk].slots:
            if s.slot["version_id"] not in known or s.score.pending:
                continue
            points = Decimal(s.slot["points"])
            fraction = s.score.points / points if points else Decimal(0)
            responses.append(
                item_analysis.ItemResponse(
                    attempt.pk,
                    s.slot["version_id"],
                    fraction,
                    frozenset(_chosen(s.qtype, s.revision.response if s.revision else None)),
                )
            )
    stats = item_analysis.analyse_items(keys, responses, totals)
    rows = []
    for number, stat in enumerate(stats, start=1):
        info = versions[stat.question_id]
        letters = {option: LETTERS[i % 26] for i, option in enumerate(o.option for o in stat.options)}
        if info["qtype"] == "truefalse":
            letters = {"true": _("Đúng"), "false": _("Sai")}
        rows.append(
            {
                "number": number,
                "version_id": stat.question_id,
                "question_id": info["question_id"],
                "qtype": info["qtype"],
                "stem_html": render_html(info["stem_html"], 0),
                "stats": stat,
                "options": [(letters[o.option], o) for o in stat.options],
                "flags": [flag.label for flag in sorted(stat.flags)],
                "fix": fixes.get(stat.question_id),
            }
        )
    return rows


# --- Audit log --------------------------------------------------------------------------------


def _local_day_start(value: str):
    try:
        day = datetime.strptime(value, "%d/%m/%Y").date()  # noqa: DTZ007 - made aware just below
    except ValueError:
        try:
            day = datetime.strptime(value, "%Y-%m-%d").date()  # noqa: DTZ007
        except ValueError:
            return None
    return datetime.combine(day, time.min, tzinfo=VIETNAM)


def audit_rows(edition, filters: dict):
    """The edition's audit rows matching ``filters`` (action prefix, actor id, object type or
    id, dates dd/mm/yyyy in Vietnam's time zone, both ends included), newest first."""
    rows = AuditLog.objects.filter(edition_id=edition.pk)
    if action := (filters.get("action") or "").strip():
        rows = rows.filter(action__startswith=action)
    if (actor := (filters.get("actor") or "").strip()).isdigit():
        rows = rows.filter(actor_id=int(actor))
    if obj := (filters.get("object") or "").strip():
        kind, _sep, pk = obj.partition(":")
        rows = rows.filter(object_type__icontains=kind.strip())
        if pk.strip():
            rows = rows.filter(object_id=pk.strip())
    if start := _local_day_start(filters.get("since") or ""):
        rows = rows.filter(created_at__gte=start)
    if end := _local_day_start(filters.get("until") or ""):
        rows = rows.filter(created_at__lt=end + timedelta(days=1))
    return rows.order_by("-created_at", "-id")


def audit_actions(edition) -> list[str]:
    return sorted(set(AuditLog.objects.filter(edition_id=edition.pk).values_list("action", flat=True)))


AUDIT_COLUMNS = ("created_at", "action", "actor_id", "actor_role", "object_type", "object_id", "before", "after",
                 "reason", "ip_address")  # fmt: skip


def audit_csv(rows) -> str:
    """CSV text with a UTF-8 byte order mark so that Excel reads Vietnamese correctly; times in
    UTC (ISO 8601) as stored."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(AUDIT_COLUMNS)
    for row in rows.iterator():
        writer.writerow(
            [row.created_at.isoformat(), row.action, row.actor_id or "", row.actor_role, row.object_type]
            + [row.object_id, _json(row.before), _json(row.after), row.reason, row.ip_address or ""]
        )
    return out.getvalue()


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
