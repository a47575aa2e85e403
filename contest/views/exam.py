"""The contestant's pages: the round page (lobby, exam, finish) and an attempt's receipt.

The round page is a shell: the paper, the answers and the clock arrive over the contestant
socket (docs/protocol.md, "/play/"), where every rule is checked again. The view only makes
sure the user is a contestant of the round's edition, and hands the page its translated
labels so static/js/exam.js holds no language of its own.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from contest import permissions
from contest.models import Edition, Round
from contest.round_selectors import get_own_attempt
from contest.snapshots import is_eligible


def _labels() -> dict:
    return {
        "questionN": _("Câu %(n)s/%(total)s"),
        "questionShort": _("Câu %(n)s"),
        "points": _("%(p)s điểm"),
        "saved": _("Đã lưu"),
        "saving": _("Đang lưu…"),
        "notSent": _("Chưa gửi được, sẽ tự gửi lại khi có mạng"),
        "answered": _("đã trả lời"),
        "flagged": _("đánh dấu xem lại"),
        "flag": _("Xem lại sau"),
        "unflag": _("Bỏ đánh dấu"),
        "timeLeft": _("Còn lại"),
        "paused": _("Tạm dừng"),
        "noLimit": _("Không giới hạn"),
        "minutesLeft": _("Còn %(n)s phút."),
        "timeUp": _("Hết giờ làm bài. Bài đang được nộp…"),
        "submitting": _("Đang nộp bài…"),
        "startsIn": _("Bắt đầu sau"),
        "waitingForStart": _("Chờ ban tổ chức bắt đầu"),
        "openNow": _("Vòng thi đang mở. Bấm “Vào thi” để nhận đề."),
        "takeover": _(
            "Bài thi đã được mở trên một thiết bị hoặc cửa sổ khác, nên trang này đã dừng để câu trả lời không bị ghi đè."
        ),
        "forbidden": _("Bạn không có quyền dự vòng thi này."),
        "submitSummary": _("Còn %(unanswered)s câu chưa trả lời, %(flagged)s câu đánh dấu xem lại."),
        "submittedDetail": _("Đã lưu %(answered)s/%(total)s câu trả lời."),
        "submitReasons": {
            "contestant": _("Bạn đã nộp bài."),
            "deadline": _("Bài được nộp tự động khi hết giờ."),
            "organiser": _("Ban tổ chức đã thu bài."),
            "round_closed": _("Vòng thi đã kết thúc."),
        },
        "roundStates": {
            "draft": _("Vòng thi chưa được lên lịch."),
            "scheduled": _("Vòng thi chưa bắt đầu."),
            "open": _("Vòng thi đang mở."),
            "paused": _("Vòng thi đang tạm dừng."),
            "closed": _("Vòng thi đã kết thúc."),
        },
        "files": {
            "none": _("Hãy chọn một tệp."),
            "wrongType": _("Chỉ nhận tệp %(accept)s."),
            "tooBig": _("Tệp lớn hơn mức cho phép."),
            "uploading": _("Đang tải tệp lên…"),
            "uploaded": _("Đã tải tệp lên."),
            "failed": _("Không tải được tệp lên. Hãy thử lại."),
            "offline": _("Mất kết nối khi tải tệp. Hãy thử lại khi có mạng."),
            "closed": _("Hiện không nhận bài làm."),
        },
        "refusals": {
            "not_open": _("Vòng thi chưa bắt đầu."),
            "paused": _("Vòng thi đang tạm dừng, hãy chờ."),
            "closed": _("Vòng thi đã kết thúc."),
            "late": _("Đã hết thời gian được vào thi muộn."),
            "no_attempts_left": _("Bạn đã dùng hết số lần làm bài."),
            "bad_access_code": _("Mã vào phòng thi không đúng."),
            "not_eligible": _("Bạn không có tên trong danh sách dự vòng thi này."),
            "no_paper": _("Vòng thi chưa có đề. Hãy báo ban tổ chức."),
        },
    }


def connection_labels() -> dict:
    return {
        "connecting": _("Đang kết nối…"),
        "connected": _("Đã kết nối"),
        "reconnecting": _("Mất kết nối, đang thử lại…"),
        "offline": _("Không có mạng, sẽ tự kết nối lại"),
        "stopped": _("Đã ngắt kết nối"),
    }


def question_labels() -> dict:
    return {
        "pickOne": _("Chọn một phương án"),
        "pickMany": _("Chọn một hoặc nhiều phương án"),
        "yes": _("Đúng"),
        "no": _("Sai"),
        "trueFalse": _("Nhận định trên đúng hay sai?"),
        "yourAnswer": _("Câu trả lời của bạn"),
        "numberHint": _("Nhập một số, ví dụ 3,14"),
        "order": _("Sắp xếp theo thứ tự đúng (dùng nút lên / xuống)"),
        "moveUp": _("Đưa lên"),
        "moveDown": _("Đưa xuống"),
        "keepOrder": _("Chốt thứ tự này"),
        "match": _("Ghép mỗi mục với một đáp án"),
        "choose": _("— Chọn —"),
        "words": _("Số từ"),
        "fileNotHere": _("Câu hỏi nộp tệp: hãy nộp tệp theo hướng dẫn của ban tổ chức."),
        "fileChoose": _("Chọn tệp bài làm"),
        "fileRules": _("Nhận tệp %(accept)s, tối đa %(size)s."),
        "fileUpload": _("Tải tệp lên"),
        "fileCurrent": _("Tệp đã nộp: %(name)s"),
        "fileSaved": _("Đã nộp tệp."),
    }


def duration_text(seconds: int | None) -> str:
    if not seconds:
        return ""
    minutes, rest = divmod(int(seconds), 60)
    if rest and minutes:
        return _("%(m)d phút %(s)d giây") % {"m": minutes, "s": rest}
    if rest:
        return _("%(s)d giây") % {"s": rest}
    return _("%(m)d phút") % {"m": minutes}


@login_required
def round_page(request, slug, round_id):
    """Lobby, exam and finish screens of one exam round, for a contestant it is open to (the
    socket checks again; this only spares others a page that could never connect)."""
    edition = get_object_or_404(Edition, slug=slug)
    round_ = get_object_or_404(Round, pk=round_id, edition=edition, mode=Round.Mode.EXAM)
    registration = permissions.contestant_registration(request.user, edition)
    permissions.require(registration is not None and is_eligible(round_, registration))
    config = {
        "roundId": round_.pk,
        "wsPath": f"/ws/rounds/{round_.pk}/play/",
        "labels": _labels(),
        "connLabels": connection_labels(),
        "questionLabels": question_labels(),
        # The file of a practical question goes over HTTP; the slot and "/" are appended.
        "uploadUrl": reverse("answer_file_upload", args=[slug, round_.pk, 0]).removesuffix("0/"),
        "csrfToken": get_token(request),
    }
    return render(
        request,
        "contest/exam/round.html",
        {
            "edition": edition,
            "round": round_,
            "registration": registration,
            "duration_text": duration_text(round_.duration_seconds),
            "exam_config": config,
        },
    )


@login_required
def attempt_receipt(request, slug, attempt_id):
    """A contestant's record of one attempt: when it started and was submitted, how many
    answers were saved. Nobody else's attempt can be opened here (404, not 403, so ids
    cannot be probed)."""
    attempt = get_own_attempt(request.user, attempt_id)
    if attempt is None or attempt.round.edition.slug != slug:
        raise Http404
    return render(request, "contest/exam/receipt.html", {"attempt": attempt, "round": attempt.round})
