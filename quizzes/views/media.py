"""Question images: upload (organisers) and the authorised view that serves them.

Images are never public media: every request goes through
``contest.permissions.can_view_question_media`` (see its extension point for contestants).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contest import permissions

from .. import filing
from ..models import QuestionMedia
from ..rendering import render_html
from ..services import MAX_IMAGE_BYTES, QuestionInvalid
from .access import access_bank


@login_required
@require_POST
def media_upload(request, bank_id):
    """Store an image; answers JSON to the editor's script, or redirects with a message."""
    bank = access_bank(request, bank_id)
    upload = request.FILES.get("image")
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        if upload is None:
            raise QuestionInvalid([_("Hãy chọn một ảnh.")])
        if upload.size > MAX_IMAGE_BYTES:
            raise QuestionInvalid([_("Ảnh lớn quá %(mb)d MB.") % {"mb": MAX_IMAGE_BYTES // (1024 * 1024)}])
        media = filing.upload_media(bank=bank, data=upload.read(), name=upload.name or "", actor=request.user)
    except QuestionInvalid as exc:
        if wants_json:
            return JsonResponse({"errors": exc.errors}, status=400)
        for error in exc.errors:
            messages.error(request, error)
        return redirect("quizzes:bank_detail", bank.pk)
    snippet = f'<img src="media:{media.sha256}" alt="">'
    if wants_json:
        return JsonResponse({"snippet": snippet, "preview": str(render_html(snippet, bank.pk))})
    messages.success(request, _("Đã tải ảnh lên. Chèn vào nội dung câu hỏi: %(s)s") % {"s": snippet})
    return redirect("quizzes:bank_detail", bank.pk)


@login_required
def media_view(request, bank_id, sha256):
    media = get_object_or_404(
        QuestionMedia.objects.select_related("bank__edition"), bank_id=bank_id, sha256=sha256
    )
    permissions.require(permissions.can_view_question_media(request.user, media))
    try:
        handle = media.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=media.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = "inline"
    return response
