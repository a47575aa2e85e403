"""The judging board's pages: rounds, contestants, answer sheets, the marking queue and rubrics,
key fixes, item analysis, appeals and the audit log; and a contestant's own published sheet.

Thin: authorise through ``contest.permissions``, read through ``contest.judging_selectors`` /
``contest.judging_reports``, and for each POST call ONE service (chosen by the form's
``action``); a domain error becomes a message and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from contest import audit, judging_reports, permissions
from contest import judging_selectors as selectors
from contest.models import Appeal, Attempt, Edition, Round, RoundBoard, RoundJudging, Rubric
from contest.services import judging, keyfixes, signoff
from contest.services.errors import DomainError


def _edition(request, slug, check) -> Edition:
    edition = get_object_or_404(Edition, slug=slug)
    permissions.require(check(request.user, edition))
    return edition


def _round(request, slug, round_slug, check=permissions.can_view_judging) -> Round:
    edition = _edition(request, slug, check)
    return get_object_or_404(Round.objects.select_related("edition"), edition=edition, slug=round_slug)


def _run(request, allowed: bool, call, done_message):
    """One service call; its domain error becomes a message and nothing changes."""
    permissions.require(allowed)
    try:
        result = call()
    except (DomainError, ValueError) as error:
        messages.error(request, str(getattr(error, "message", error)))
        return None
    messages.success(request, done_message)
    return result


def _common(request) -> dict:
    return {"now": timezone.now(), "ip": audit.client_ip(request)}


@login_required
def judging_index(request, slug):
    edition = _edition(request, slug, permissions.can_view_judging)
    rounds = Round.objects.filter(edition=edition, is_practice=False).select_related("judging", "board")
    return render(request, "contest/judging/index.html", {"edition": edition, "rounds": rounds})


def _round_post(request, round_):
    post, edition, user = request.POST, round_.edition, request.user
    action = post.get("action")
    if action == "sign":
        _run(
            request,
            permissions.can_mark(user, edition),
            lambda: signoff.sign_off(round_=round_, judge=user, **_common(request)),
            _("Đã ký xác nhận kết quả."),
        )
    elif action == "publish":
        _run(
            request,
            permissions.can_configure_judging(user, edition),
            lambda: signoff.publish_results(round_=round_, actor=user, **_common(request)),
            _("Đã công bố kết quả cho thí sinh."),
        )
    elif action == "configure":
        names = [
            "required_signers",
            "discrepancy_threshold",
            "settle_method",
            "panel_method",
            "review",
            "appeal_hours",
        ]
        values = {name: post.get(name) for name in names if post.get(name) not in (None, "")}
        values["head_judge_must_sign"] = post.get("head_judge_must_sign") == "on"
        _run(
            request,
            permissions.can_configure_judging(user, edition),
            lambda: judging.configure_judging(round_=round_, values=values, actor=user, **_common(request)),
            _("Đã lưu cài đặt chấm thi."),
        )


@login_required
def judging_round(request, slug, round_slug):
    """Contestants of the round (Vietnamese name order) with score, pending marks and evidence
    counts; signatures, publication and the round's judging settings."""
    round_ = _round(request, slug, round_slug)
    if request.method == "POST":
        _round_post(request, round_)
        return redirect(request.path)
    edition, user = round_.edition, request.user
    attempts, evidence = selectors.judged_attempts(round_), selectors.evidence_counts(round_)
    for attempt in attempts:
        attempt.evidence = evidence.get(attempt.pk, {})
    signatures = selectors.sign_offs(round_)
    return render(
        request,
        "contest/judging/round.html",
        {
            "edition": edition,
            "round": round_,
            "attempts": attempts,
            "judging": selectors.get_judging(round_),
            "signatures": signatures,
            "signed": any(s.judge_id == user.pk for s in signatures),
            "board": RoundBoard.objects.filter(round=round_).first(),
            "can_mark": permissions.can_mark(user, edition),
            "can_configure": permissions.can_configure_judging(user, edition),
            "choices": {
                "settle": RoundJudging._meta.get_field("settle_method").choices,
                "panel": RoundJudging._meta.get_field("panel_method").choices,
                "review": RoundJudging.Review.choices,
            },
        },
    )


def _sheet_post(request, attempt):
    post, edition, user = request.POST, attempt.round.edition, request.user
    slot = post.get("slot")
    slot = int(slot) if slot not in (None, "") and slot.isdigit() else None
    if post.get("action") == "mark" and slot is not None:
        awarded = {key[len("c-") :]: value for key, value in post.items() if key.startswith("c-")}
        _run(
            request,
            permissions.can_mark(user, edition),
            lambda: judging.mark_answer(
                attempt_id=attempt.pk,
                slot=slot,
                judge=user,
                awarded=awarded,
                comment=post.get("comment", ""),
                **_common(request),
            ),  # fmt: skip
            _("Đã lưu điểm chấm."),
        )
    elif post.get("action") == "adjust":
        _run(
            request,
            permissions.can_mark(user, edition),
            lambda: judging.adjust_score(
                attempt_id=attempt.pk,
                slot=slot,
                new_points=post.get("points", ""),
                reason=post.get("reason", ""),
                actor=user,
                **_common(request),
            ),  # fmt: skip
            _("Đã điều chỉnh điểm."),
        )


@login_required
def judging_sheet(request, slug, round_slug, attempt_id):
    """One contestant's sheet exactly as they saw it, with the key, grades, marks, adjustments
    and the timeline of answers and events (evidence; nothing here penalises automatically)."""
    round_ = _round(request, slug, round_slug)
    attempt = get_object_or_404(
        Attempt.objects.select_related("registration__person", "registration__unit", "round__edition"),
        pk=attempt_id,
        round=round_,
    )
    if request.method == "POST":
        _sheet_post(request, attempt)
        return redirect(f"{request.path}#q{request.POST.get('slot', '')}")
    data = judging_reports.sheet(attempt, judge=request.user)
    return render(
        request,
        "contest/judging/sheet.html",
        {
            "edition": round_.edition,
            "round": round_,
            "sheet": data,
            "timeline": selectors.timeline(attempt),
            "judging": selectors.get_judging(round_),
            "can_mark": permissions.can_mark(request.user, round_.edition),
        },
    )


@login_required
def marking_queue(request, slug, round_slug):
    """Answers waiting for a mark (or a third judge) and each manual question's rubric."""
    round_ = _round(request, slug, round_slug)
    if request.method == "POST" and request.POST.get("action") == "mark_team":
        post = request.POST
        awarded = {key[len("c-") :]: value for key, value in post.items() if key.startswith("c-")}
        _run(
            request,
            permissions.can_mark(request.user, round_.edition),
            lambda: judging.mark_team(
                round_=round_,
                team_id=int(post.get("team") or 0),
                question_id=int(post.get("question_id") or 0),
                judge=request.user,
                awarded=awarded,
                comment=post.get("comment", ""),
                **_common(request),
            ),  # fmt: skip
            _("Đã lưu điểm của đội."),
        )
        return redirect(request.path)
    if request.method == "POST":
        post = request.POST
        _run(
            request,
            permissions.can_configure_judging(request.user, round_.edition),
            lambda: judging.save_rubric(
                round_=round_,
                question_id=int(post.get("question_id") or 0),
                criteria=judging.parse_criteria(post.get("criteria", "")),
                mode=post.get("mode", ""),
                panel_size=int(post.get("panel_size") or 3),
                actor=request.user,
                **_common(request),
            ),  # fmt: skip
            _("Đã lưu thang điểm."),
        )
        return redirect(request.path)
    questions = selectors.manual_questions(round_)
    for question in questions:
        rubric = question["rubric"]
        question["criteria_text"] = (
            "\n".join(f"{c['label']}: {c['max']}" for c in rubric.criteria) if rubric else ""
        )
    return render(
        request,
        "contest/judging/queue.html",
        {
            "edition": round_.edition,
            "round": round_,
            "queue": selectors.marking_queue(round_),
            "questions": questions,
            "modes": Rubric.Mode.choices,
            "teams": selectors.round_teams(round_),
            "can_mark": permissions.can_mark(request.user, round_.edition),
            "can_configure": permissions.can_configure_judging(request.user, round_.edition),
        },
    )


@login_required
def key_fixes(request, slug, round_slug):
    """The round's auto-graded questions with their keys; a fix is first a dry run."""
    round_ = _round(request, slug, round_slug)
    regrade = None
    if request.method == "POST":
        post = request.POST
        regrade = _run(
            request,
            permissions.can_fix_keys(request.user, round_.edition),
            lambda: keyfixes.fix_key(
                round_=round_,
                version_id=int(post.get("version_id") or 0),
                kind=post.get("kind", ""),
                key=post.getlist("key") + post.get("key_text", "").split("|"),
                reason=post.get("reason", ""),
                actor=request.user,
                apply=post.get("apply") == "1",
                **_common(request),
            ),  # fmt: skip
            _("Đã áp dụng sửa đáp án và chấm lại.")
            if post.get("apply") == "1"
            else _("Kết quả chấm thử bên dưới."),
        )
    return render(
        request,
        "contest/judging/keys.html",
        {
            "edition": round_.edition,
            "round": round_,
            "items": judging_reports.item_report(round_),
            "regrade": regrade,
            "posted": request.POST if regrade and not regrade.applied else None,
            "posted_keys": request.POST.getlist("key"),
            "changes": [(regrade.names.get(c.entry_id, c.entry_id), c) for c in regrade.changes]
            if regrade
            else [],
            "kinds": keyfixes.KeyFix.Kind.choices,
            "can_fix": permissions.can_fix_keys(request.user, round_.edition),
        },
    )


@login_required
def item_analysis(request, slug, round_slug):
    round_ = _round(request, slug, round_slug)
    return render(
        request,
        "contest/judging/items.html",
        {"edition": round_.edition, "round": round_, "items": judging_reports.item_report(round_)},
    )


@login_required
def appeals(request, slug, round_slug):
    round_ = _round(request, slug, round_slug)
    if request.method == "POST":
        post, user = request.POST, request.user
        appeal = get_object_or_404(Appeal, pk=post.get("appeal") or 0, attempt__round=round_)
        if post.get("action") == "recommend":
            _run(
                request,
                permissions.can_mark(user, round_.edition),
                lambda: signoff.recommend_appeal(
                    appeal_id=appeal.pk,
                    judge=user,
                    accept=post.get("accept") == "1",
                    text=post.get("text", ""),
                    **_common(request),
                ),  # fmt: skip
                _("Đã gửi ý kiến."),
            )
        elif post.get("action") == "decide":
            _run(
                request,
                permissions.can_decide_appeals(user, round_.edition),
                lambda: signoff.decide_appeal(
                    appeal_id=appeal.pk,
                    head_judge=user,
                    accept=post.get("accept") == "1",
                    answer=post.get("answer", ""),
                    new_points=post.get("points") or None,
                    **_common(request),
                ),  # fmt: skip
                _("Đã trả lời khiếu nại."),
            )
        return redirect(request.path)
    return render(
        request,
        "contest/judging/appeals.html",
        {
            "edition": round_.edition,
            "round": round_,
            "appeals": selectors.appeals_of_round(round_),
            "can_mark": permissions.can_mark(request.user, round_.edition),
            "can_decide": permissions.can_decide_appeals(request.user, round_.edition),
        },
    )


@login_required
def audit_log(request, slug):
    """Organisers and the head judge: the edition's audit rows, filtered; ``?format=csv`` exports."""
    edition = _edition(request, slug, permissions.can_read_audit)
    filters = {key: request.GET.get(key, "") for key in ("action", "actor", "object", "since", "until")}
    rows = judging_reports.audit_rows(edition, filters)
    if request.GET.get("format") == "csv":
        text = judging.export_audit_log(
            edition=edition, rows=rows, filters=filters, actor=request.user, **_common(request)
        )
        response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="nhat-ky-{edition.slug}.csv"'
        return response
    return render(
        request,
        "contest/judging/audit.html",
        {
            "edition": edition,
            "rows": rows[:500],
            "count": rows.count(),
            "filters": filters,
            "actions": judging_reports.audit_actions(edition),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def own_result(request, slug, round_slug):
    """A contestant's own published sheet (as the round's review setting allows) and appeals.
    Nobody else's: the attempt is looked up from the logged-in contestant's registration."""
    edition = get_object_or_404(Edition, slug=slug)
    registration = permissions.contestant_registration(request.user, edition)
    permissions.require(registration is not None)
    round_ = get_object_or_404(Round, edition=edition, slug=round_slug)
    board = RoundBoard.objects.filter(round=round_).first()
    if board is None or board.scores_published_at is None:
        raise Http404
    attempt = (
        Attempt.objects.filter(round=round_, registration=registration, state=Attempt.State.SUBMITTED)
        .select_related("registration__person", "round__edition")
        .order_by("-score", "number")
        .first()
    )
    if attempt is None:
        raise Http404
    if request.method == "POST":
        post = request.POST
        _run(
            request,
            True,
            lambda: signoff.submit_appeal(
                attempt=attempt,
                slot=int(post.get("slot") or 0),
                reason=post.get("reason", ""),
                user=request.user,
                **_common(request),
            ),  # fmt: skip
            _("Đã gửi khiếu nại. Ban giám khảo sẽ trả lời trên trang này."),
        )
        return redirect(request.path)
    review = selectors.get_judging(round_).review
    show_sheet = review in (RoundJudging.Review.SHEET_WITH_KEY, RoundJudging.Review.SHEET)
    return render(
        request,
        "contest/judging/own_result.html",
        {
            "edition": edition,
            "round": round_,
            "attempt": attempt,
            "review": review,
            "sheet": judging_reports.sheet(attempt, with_key=review == RoundJudging.Review.SHEET_WITH_KEY)
            if show_sheet
            else None,
            "sheet_key": review == RoundJudging.Review.SHEET_WITH_KEY,
            "appeals": Appeal.objects.filter(attempt=attempt),
            "appeal_deadline": signoff.appeal_deadline(round_),
            "now": timezone.now(),
        },
    )
