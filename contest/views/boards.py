"""Ranking, prizes and scoreboard pages.

Thin: authorise through ``contest.permissions``, read through ``contest.scoring_selectors``,
and for each POST call ONE service of ``contest.services.scoring`` (chosen by the form's
``action``), which audits it. The projector pages are shells that static/js/scoreboard.js
fills from the board socket; the public one needs no login, only the round's unguessable token.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contest import audit, permissions
from contest import scoring_selectors as scores
from contest.board_frames import VIEWS
from contest.models import Cluster, Edition, PrizeDecision, Round, RoundBoard
from contest.prizes import PRIZE_ORDER, PrizeLevel
from contest.ranking import explain
from contest.services import scoring
from contest.services.errors import DomainError
from contest.views.exam import connection_labels


def _edition(request, slug, check) -> Edition:
    edition = get_object_or_404(Edition, slug=slug)
    permissions.require(check(request.user, edition))
    return edition


def _run(request, call, done_message) -> None:
    """One service call; its domain error becomes a message and nothing changes."""
    try:
        call()
    except (DomainError, ValueError) as error:
        messages.error(request, str(getattr(error, "message", error)))
    else:
        messages.success(request, done_message)


def _chain_presets() -> list[tuple[str, str]]:
    """The tie-break chains organisers choose from (contest.ranking steps, comma-joined)."""
    return [
        (
            "score,prediction,time_used,submitted_at",
            _("Điểm → câu dự đoán → thời gian làm bài → giờ nộp bài"),
        ),
        ("score,time_used,submitted_at", _("Điểm → thời gian làm bài → giờ nộp bài")),
        ("score,prediction", _("Điểm → câu dự đoán")),
        ("score", _("Chỉ điểm (bằng điểm thì đồng hạng)")),
    ]


def _board_labels() -> dict:
    return {
        "phases": {
            "hidden": _("Bảng điểm chưa được công khai."),
            "progress": _("Đang thi: chỉ hiển thị tiến độ, điểm sẽ được công bố sau."),
            "live": _("Trực tiếp"),
            "frozen": _("Bảng điểm đã đóng băng"),
            "reveal": _("Công bố kết quả"),
        },
        "states": {"not_entered": _("Chưa vào"), "in_progress": _("Đang làm"), "submitted": _("Đã nộp")},
        "rank": _("Hạng"),
        "name": {"individual": _("Thí sinh"), "team": _("Đội thi"), "unit": _("Đơn vị")},
        "unit": _("Đơn vị"),
        "score": _("Điểm"),
        "meanScore": _("Điểm trung bình"),
        "answered": _("Đã trả lời"),
        "state": _("Trạng thái"),
        "entered": _("Đã vào thi"),
        "submitted": _("Đã nộp bài"),
        "answers": _("Câu trả lời"),
        "podium": _("Vinh danh"),
        "page": _("Trang %(n)s/%(total)s"),
        "empty": _("Chưa có ai trên bảng."),
        "places": [_("Nhất"), _("Nhì"), _("Ba")],
    }


def _projector(request, round_, ws_path, *, as_public=False):
    view = request.GET.get("view", "individual")
    view = view if view in VIEWS else "individual"
    return render(
        request,
        "contest/boards/projector.html",
        {
            "round": round_,
            "edition": round_.edition,
            "view": view,
            "view_suffix": "&as=public" if as_public else "",
            "board_config": {
                "wsPath": f"{ws_path}?view={view}" + ("&as=public" if as_public else ""),
                "labels": _board_labels(),
                "connLabels": connection_labels(),
                "view": view,
            },
        },
    )


@login_required
def board_page(request, slug, round_slug):
    """The projector for people who are logged in: organisers, judges, contestants."""
    round_ = get_object_or_404(Round.objects.select_related("edition"), edition__slug=slug, slug=round_slug)
    staff = permissions.can_view_judging(request.user, round_.edition)
    permissions.require(
        staff or permissions.contestant_registration(request.user, round_.edition) is not None
    )
    as_public = staff and request.GET.get("as") == "public"
    return _projector(request, round_, f"/ws/rounds/{round_.pk}/board/", as_public=as_public)


def public_board_page(request, token):
    """The read-only projector link: no login, only the token (404 for a wrong one)."""
    board = RoundBoard.objects.select_related("round__edition").filter(public_token=token).first()
    if board is None:
        raise Http404
    return _projector(request, board.round, f"/ws/boards/{token}/")


# --- One round's ranking ------------------------------------------------------------------------


def _round_actions(request, round_, now):
    ip = audit.client_ip(request)
    post = request.POST
    action = post.get("action")
    common = {"round_": round_, "actor": request.user, "now": now, "ip": ip}
    if action == "configure":
        _run(
            request,
            lambda: scoring.configure_board(
                visibility=post.get("visibility", ""),
                freeze_minutes=int(post.get("freeze_minutes") or 0),
                weight=post.get("weight") or "1",
                chain=(post.get("chain_preset") or "score").split(","),
                **common,
            ),
            _("Đã lưu cài đặt bảng điểm."),
        )
    elif action == "truth":
        _run(
            request,
            lambda: scoring.set_prediction_truth(truth=post.get("truth", ""), **common),
            _("Đã lưu đáp số câu dự đoán."),
        )
    elif action == "compute_truth":
        _run(request, lambda: scoring.compute_prediction_truth(**common), _("Đã tính đáp số câu dự đoán."))
    elif action == "reveal_start":
        _run(request, lambda: scoring.start_reveal(**common), _("Đã bắt đầu công bố kết quả."))
    elif action == "reveal_next":
        _run(request, lambda: scoring.reveal_next(**common), _("Đã công bố thêm một dòng."))
    elif action == "advance":
        target = Round.objects.filter(edition=round_.edition, pk=post.get("to_round") or 0).first()
        if target is None:
            messages.error(request, _("Chọn vòng thi tiếp theo."))
            return
        _run(
            request,
            lambda: scoring.confirm_advancement(
                from_round=round_,
                to_round=target,
                registration_ids=post.getlist("registration"),
                actor=request.user,
                now=now,
                ip=ip,
            ),
            _("Đã đăng ký danh sách đi tiếp vào “%(name)s”.") % {"name": target.name},
        )


@login_required
def round_ranking(request, slug, round_slug):
    edition = _edition(request, slug, permissions.can_view_judging)
    round_ = get_object_or_404(Round.objects.select_related("edition"), edition=edition, slug=round_slug)
    now = timezone.now()
    if request.method == "POST":
        permissions.require(permissions.is_organiser(request.user, edition))
        _round_actions(request, round_, now)
        return redirect(request.get_full_path())
    board = scores.get_board(round_)
    standing = scores.round_standing(round_, now=now, board=board)
    reasons = standing.ranking.reasons
    rows = [
        {"row": row, "rank": ranked.rank, "why": explain(reasons[index]) if index < len(reasons) else ""}
        for index, (row, ranked) in enumerate(zip(standing.rows, standing.ranking.rows, strict=True))
    ]
    chain_value, presets = ",".join(board.tie_break_chain), _chain_presets()
    if chain_value not in dict(presets):  # a chain set elsewhere stays selectable as it is
        presets.insert(0, (chain_value, " → ".join(board.tie_break_chain)))
    top_n = max(0, int(request.GET.get("top") or 0)) if (request.GET.get("top") or "").isdigit() else 0
    group = request.GET.get("group", "")
    cuts = scores.advancement_cuts(standing, top_n, group) if top_n and standing.rows else []
    clusters = (
        dict(Cluster.objects.filter(edition=edition).values_list("pk", "name")) if group == "cluster" else {}
    )
    for cut in cuts:
        cut["label"] = (
            clusters.get(cut["group"], _("Không thuộc cụm nào")) if group == "cluster" else cut["group"]
        )
    return render(
        request,
        "contest/boards/round_ranking.html",
        {
            "edition": edition,
            "round": round_,
            "board": board,
            "rows": rows,
            "visibilities": RoundBoard.Visibility.choices,
            "chain_presets": presets,
            "chain_value": chain_value,
            "public_url": request.build_absolute_uri(reverse("public_board", args=[board.public_token]))
            if board.pk and board.visibility == RoundBoard.Visibility.PUBLIC
            else None,
            "is_organiser": permissions.is_organiser(request.user, edition),
            "top_n": top_n,
            "group": group,
            "cuts": cuts,
            "next_rounds": Round.objects.filter(edition=edition, is_practice=False).exclude(pk=round_.pk),
        },
    )


# --- The edition: overall, teams, units, prizes -------------------------------------------------


def _edition_results(edition, now):
    result = scores.edition_standing(edition, now=now)
    scoring_rules = scores.get_edition_scoring(edition)
    teams = scores.team_standing(result.standing, scores.team_rule(scoring_rules))
    individual = scores.prize_result(
        result.standing, scoring_rules.individual_quotas, scores.decisions_for(edition, "individual")
    )
    team_prizes = scores.prize_result(teams, scoring_rules.team_quotas, scores.decisions_for(edition, "team"))
    units, unit_ranking = scores.edition_units(edition, result.standing, individual, scoring_rules)
    return result, teams, individual, team_prizes, units, unit_ranking, scoring_rules


@login_required
def edition_ranking(request, slug):
    edition = _edition(request, slug, permissions.can_view_judging)
    result, teams, individual, team_prizes, units, unit_ranking, _rules = _edition_results(
        edition, timezone.now()
    )
    reasons = result.standing.ranking.reasons
    rows = [
        {
            "row": row,
            "rank": ranked.rank,
            "rounds": [row.round_scores.get(r.pk) for r in result.rounds],
            "prize": individual.level_of(row.registration_id),
            "why": explain(reasons[index]) if index < len(reasons) else "",
        }
        for index, (row, ranked) in enumerate(
            zip(result.standing.rows, result.standing.ranking.rows, strict=True)
        )
    ]
    team_rows = [
        {"row": row, "rank": ranked.rank, "prize": team_prizes.level_of(row.registration_id)}
        for row, ranked in zip(teams.rows, teams.ranking.rows, strict=True)
    ]
    unit_rows = [
        {"unit": units[ranked.entry_id], "rank": ranked.rank, "score": unit_ranking.scores[ranked.entry_id]}
        for ranked in unit_ranking.ranking.rows
    ]
    return render(
        request,
        "contest/boards/edition_ranking.html",
        {"edition": edition, "rounds": result.rounds, "rows": rows, "teams": team_rows, "units": unit_rows},
    )


def _quota_values(post, prefix) -> dict:
    values = {}
    for level in PRIZE_ORDER:
        raw = (post.get(f"{prefix}_{level.value}") or "0").strip()
        if not raw.isdigit():
            raise ValueError(_("Số giải phải là số nguyên không âm."))
        values[level.value] = int(raw)
    return values


def _prize_actions(request, edition, now):
    post = request.POST
    ip = audit.client_ip(request)
    if post.get("action") == "quotas":

        def save():
            best_k = post.get("team_best_k") or None
            scoring.configure_edition_scoring(
                edition=edition,
                team_method=post.get("team_method", "sum"),
                team_best_k=int(best_k) if best_k and best_k.isdigit() else None,
                individual_quotas=_quota_values(post, "individual"),
                team_quotas=_quota_values(post, "team"),
                actor=request.user,
                now=now,
                ip=ip,
            )

        _run(request, save, _("Đã lưu cơ cấu giải thưởng."))
    elif post.get("action") == "decide":
        tied = [int(pk) for pk in post.getlist("tied") if pk.isdigit()]
        awarded = [int(pk) for pk in post.getlist("awarded") if pk.isdigit()]
        _run(
            request,
            lambda: scoring.decide_prize_tie(
                edition=edition,
                scope=post.get("scope", ""),
                level=post.get("level", ""),
                tied=tied,
                awarded=awarded,
                reason=post.get("reason", ""),
                actor=request.user,
                now=now,
                ip=ip,
            ),
            _("Đã ghi quyết định."),
        )


def _prize_section(scope, result, standing, label):
    names = {row.registration_id: row for row in standing.rows}
    tie = result.needs_decision
    return {
        "scope": scope,
        "label": label,
        "levels": [
            {"label": level.label, "awards": [(names[a.entry_id], a) for a in awards]}
            for level, awards in result.by_level().items()
            if awards
        ],
        "tie": tie,
        "tie_level_label": PrizeLevel(tie.level).label if tie else "",
        "tied": [names[pk] for pk in tie.tied] if tie else [],
        "unused": result.unused_decisions,
    }


@login_required
def prizes_page(request, slug):
    edition = _edition(request, slug, permissions.is_organiser)
    now = timezone.now()
    if request.method == "POST":
        _prize_actions(request, edition, now)
        return redirect("prizes", slug=edition.slug)
    result, teams, individual, team_prizes, _units, _unit_ranking, rules = _edition_results(edition, now)
    return render(
        request,
        "contest/boards/prizes.html",
        {
            "edition": edition,
            "rules": rules,
            "levels": [(level.value, level.label) for level in PRIZE_ORDER],
            "quota_rows": [
                (
                    level.value,
                    level.label,
                    rules.individual_quotas.get(level.value, 0),
                    rules.team_quotas.get(level.value, 0),
                )
                for level in PRIZE_ORDER
            ],
            "team_methods": type(rules).TeamMethod.choices,
            "sections": [
                _prize_section("individual", individual, result.standing, _("Giải cá nhân")),
                _prize_section("team", team_prizes, teams, _("Giải đồng đội")),
            ],
            "decisions": PrizeDecision.objects.filter(edition=edition).order_by("-decided_at")[:20],
            "zero": Decimal(0),
        },
    )
