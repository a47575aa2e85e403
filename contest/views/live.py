"""The three screens of a live round: the contestant's phone, the host's console and the hall's
projector. Each is a shell that a script fills from its socket (docs/protocol.md, "Live
rounds"), where every rule is checked again; the views only check who may open which screen
and hand the page its translated labels.
"""

import segno
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from contest import audit, permissions
from contest.models import Edition, Round
from contest.services import live_join as live_join_services
from contest.services.errors import DomainError
from contest.snapshots import is_eligible
from contest.views.exam import connection_labels, question_labels


def _live_round(edition_slug, **lookup) -> tuple[Edition, Round]:
    edition = get_object_or_404(Edition, slug=edition_slug)
    return edition, get_object_or_404(Round, edition=edition, mode=Round.Mode.LIVE, **lookup)


def _labels() -> dict:
    return {
        "questionN": _("Câu %(n)s/%(total)s"),
        "points": _("%(p)s điểm"),
        "states": {
            "pending": _("Chờ câu hỏi tiếp theo"),
            "open": _("Đang trả lời"),
            "closed": _("Hết giờ"),
            "revealed": _("Đáp án"),
            "leaderboard": _("Bảng xếp hạng"),
            "ended": _("Kết thúc"),
            "paused": _("Tạm dừng"),
        },
        "waitingStart": _("Chờ ban tổ chức bắt đầu vòng thi."),
        "waitingQuestion": _("Hãy nhìn lên màn hình lớn: câu hỏi sắp bắt đầu."),
        "answered": _("Đã trả lời %(n)s/%(total)s"),
        "sent": _("Đã ghi nhận câu trả lời của bạn."),
        "sending": _("Đang gửi…"),
        "notSent": _("Chưa gửi được, sẽ tự gửi lại khi có mạng"),
        "right": _("Chính xác!"),
        "wrong": _("Chưa đúng."),
        "noAnswer": _("Bạn chưa trả lời câu này."),
        "result": _("+%(points)s điểm · Tổng %(score)s · Hạng %(rank)s/%(of)s"),
        "correctIs": _("Đáp án đúng"),
        "leaderboard": _("Bảng xếp hạng"),
        "podium": _("Chúc mừng!"),
        "score": _("điểm"),
        "send": _("Gửi câu trả lời"),
        "captainOnly": _("Đội trưởng trả lời cho cả đội."),
        "ended": _("Vòng thi đã kết thúc. Cảm ơn các đồng chí!"),
        "takeover": _("Vòng thi đã được mở trên một thiết bị khác; trang này đã dừng."),
        "forbidden": _("Bạn không có quyền vào màn hình này."),
        "actions": {
            "start": _("Bắt đầu vòng thi"),
            "open_question": _("Mở câu hỏi"),
            "close_question": _("Dừng nhận trả lời"),
            "reopen_question": _("Mở lại câu hỏi"),
            "reveal": _("Công bố đáp án"),
            "show_leaderboard": _("Xem bảng xếp hạng"),
            "next_question": _("Câu tiếp theo"),
            "skip_question": _("Bỏ qua câu này"),
            "pause": pgettext("action", "Tạm dừng"),
            "resume": _("Tiếp tục"),
            "close": _("Kết thúc vòng thi"),
        },
        "reopenReason": _("Lý do mở lại câu hỏi (bắt buộc, ghi vào nhật ký):"),
        "closeConfirm": _("Kết thúc vòng thi và công bố kết quả chung cuộc?"),
        "notAnswered": _("chưa trả lời"),
        "hasAnswered": _("đã trả lời"),
    }


def _config(ws_path: str, round_: Round) -> dict:
    return {
        "wsPath": ws_path,
        "roundName": round_.name,
        "labels": _labels(),
        "connLabels": connection_labels(),
        "questionLabels": question_labels(),
    }


def live_play(request, slug, round_id):
    """The contestant's phone: big answer buttons, confirmation, result after each question.
    Open to the contestant's account, or to a browser that joined with the round's PIN."""
    edition, round_ = _live_round(slug, pk=round_id)
    registration = permissions.contestant_registration(request.user, edition)
    pin = ""
    if registration is None:
        registration = permissions.live_joined_registration(request.session, round_)
        pin = round_.access_code if registration is not None else ""
    if registration is None and not request.user.is_authenticated and round_.access_code:
        return redirect("live_join", slug=slug, round_id=round_id)
    if registration is None and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    permissions.require(registration is not None and is_eligible(round_, registration))
    config = {**_config(f"/ws/rounds/{round_.pk}/play/", round_), "accessCode": pin}
    return render(
        request,
        "contest/live/play.html",
        {"round": round_, "registration": registration, "live_config": config},
    )


@require_http_methods(["GET", "POST"])
def live_join(request, slug, round_id):
    """A public event: join with the round's PIN (shown on the projector) and one's
    contestant code, without an account. Throttled like logins (contest.services.live_join)."""
    _edition, round_ = _live_round(slug, pk=round_id)
    if not round_.access_code:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            live_join_services.join_with_pin(
                round_=round_,
                pin=request.POST.get("pin", "")[:30],
                code=request.POST.get("code", "")[:30],
                session=request.session,
                ip=audit.client_ip(request),
                now=timezone.now(),
            )
        except DomainError as refused:
            error = refused.message
        else:
            return redirect("live_play", slug=slug, round_id=round_id)
    return render(
        request, "contest/live/join.html", {"round": round_, "error": error}, status=400 if error else 200
    )


@login_required
def live_host(request, slug, round_slug):
    """The host's console: the question commands, who has answered, the question's timer."""
    edition, round_ = _live_round(slug, slug=round_slug)
    permissions.require(permissions.is_organiser(request.user, edition))
    config = _config(f"/ws/rounds/{round_.pk}/control/", round_)
    return render(
        request, "contest/live/host.html", {"edition": edition, "round": round_, "live_config": config}
    )


@login_required
def live_screen(request, slug, round_slug):
    """The projector: question, countdown, distribution chart, leaderboard, podium."""
    edition, round_ = _live_round(slug, slug=round_slug)
    permissions.require(permissions.can_view_judging(request.user, edition))
    config = _config(f"/ws/rounds/{round_.pk}/view/", round_)
    join = None
    if round_.access_code:
        url = request.build_absolute_uri(reverse("live_join", args=[slug, round_.pk]))
        join = {"url": url, "pin": round_.access_code, "qr": segno.make(url).svg_inline(scale=8, border=2)}
    return render(request, "contest/live/screen.html", {"round": round_, "join": join, "live_config": config})
