"""Organiser pages for rounds: the list, the configuration form and the live control panel.

Thin: authorise through ``contest.permissions``, parse with the form, call one service. The
control panel page is only a shell; its actions and its monitor travel over the websocket
(see docs/protocol.md) so that every organiser's screen shows the same live state.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from contest import audit, permissions
from contest.models import Edition, Round
from contest.services import round_config

from .exam import connection_labels
from .round_forms import RoundForm


def _control_labels() -> dict:
    return {
        "actions": {
            "schedule": _("Lên lịch"),
            "unschedule": _("Hủy lịch"),
            "start": _("Bắt đầu ngay"),
            "pause": _("Tạm dừng tất cả"),
            "resume": _("Tiếp tục"),
            "close": _("Kết thúc vòng thi"),
            "reset": _("Xóa dữ liệu thi thử"),
            "extend_all": _("Gia hạn tất cả"),
            "extend_one": _("Gia hạn một thí sinh"),
            "force_submit": _("Thu bài"),
            "announce": _("Gửi thông báo"),
        },
        "confirm": {
            "start": _("Bắt đầu vòng thi ngay bây giờ?"),
            "close": _("Kết thúc vòng thi? Mọi bài đang làm sẽ được nộp."),
            "reset": _("Xóa toàn bộ bài làm của vòng thi thử này?"),
            "forceSubmit": _("Thu bài của %(name)s ngay bây giờ?"),
        },
        "extendPrompt": _("Gia hạn cho %(name)s thêm bao nhiêu phút?"),
        "done": _("Đã thực hiện: %(action)s"),
        "extendAll": _("Gia hạn tất cả thêm %(n)s phút"),
        "extendOne": _("Gia hạn"),
        "forceSubmit": _("Thu bài"),
        "announced": _("Đã gửi thông báo."),
        "announcement": _("Thông báo"),
        "opensAt": _("Mở lúc"),
        "startedAt": _("Bắt đầu lúc"),
        "closesAt": _("Đóng lúc"),
        "events": {
            "round.scheduled": _("Vòng thi đã lên lịch"),
            "round.unscheduled": _("Vòng thi đã hủy lịch"),
            "round.started": _("Vòng thi đã bắt đầu"),
            "round.paused": _("Vòng thi tạm dừng"),
            "round.resumed": _("Vòng thi tiếp tục"),
            "round.extended": _("Đã gia hạn"),
            "round.closed": _("Vòng thi đã kết thúc"),
            "round.reset": _("Đã xóa dữ liệu thi thử"),
            "round.updated": _("Cấu hình đã thay đổi"),
        },
        "states": {
            "not_entered": _("Chưa vào"),
            "ready": _("Chưa vào"),
            "in_progress": _("Đang làm"),
            "submitted": _("Đã nộp"),
        },
        "roundStates": {
            "draft": _("Nháp"),
            "scheduled": _("Đã lên lịch"),
            "open": _("Đang thi"),
            "paused": _("Tạm dừng"),
            "closed": _("Đã kết thúc"),
        },
        "connected": _("đang kết nối"),
        "disconnected": _("mất kết nối"),
        "secondsAgo": _("%(n)s giây trước"),
        "minutesAgo": _("%(n)s phút trước"),
        "never": _("chưa"),
        "noContestants": _("Chưa có thí sinh nào trong danh sách dự thi."),
    }


def _organiser_edition(request, slug) -> Edition:
    edition = get_object_or_404(Edition, slug=slug)
    permissions.require(permissions.is_organiser(request.user, edition))
    return edition


@login_required
def round_list(request, slug):
    edition = _organiser_edition(request, slug)
    rounds = Round.objects.filter(edition=edition).select_related("paper").order_by("opens_at", "id")
    return render(request, "contest/rounds/list.html", {"edition": edition, "rounds": rounds})


@login_required
def round_create(request, slug):
    edition = _organiser_edition(request, slug)
    form = RoundForm(request.POST or None, edition=edition)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = round_config.create_round(
                actor=request.user,
                edition=edition,
                values=form.values(),
                entry=form.entry(),
                ip=audit.client_ip(request),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Đã tạo vòng thi “%(name)s”.") % {"name": round_.name})
            return redirect("round_control", slug=edition.slug, round_slug=round_.slug)
    return render(request, "contest/rounds/form.html", {"edition": edition, "form": form, "round": None})


@login_required
def round_edit(request, slug, round_slug):
    edition = _organiser_edition(request, slug)
    round_ = get_object_or_404(Round, edition=edition, slug=round_slug)
    form = RoundForm(request.POST or None, instance=round_, edition=edition)
    editable = round_.state in round_config.EDITABLE_STATES
    if request.method == "POST" and form.is_valid():
        try:
            round_ = round_config.update_round(
                actor=request.user,
                round_=round_,
                values=form.values(),
                entry=form.entry(),
                ip=audit.client_ip(request),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Đã lưu cấu hình vòng thi."))
            return redirect("round_control", slug=edition.slug, round_slug=round_.slug)
    return render(
        request,
        "contest/rounds/form.html",
        {"edition": edition, "form": form, "round": round_, "editable": editable},
    )


@login_required
def round_control(request, slug, round_slug):
    """The live control panel: a shell that control.js fills from the organiser socket."""
    edition = _organiser_edition(request, slug)
    round_ = get_object_or_404(Round.objects.select_related("paper"), edition=edition, slug=round_slug)
    return render(
        request,
        "contest/rounds/control.html",
        {
            "edition": edition,
            "round": round_,
            "control_config": {
                "wsPath": f"/ws/rounds/{round_.pk}/control/",
                "labels": _control_labels(),
                "connLabels": connection_labels(),
            },
        },
    )
