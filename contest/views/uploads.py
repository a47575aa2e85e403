"""Answer files of practical questions: the contestant's upload and the authorised download.

Thin: the upload view finds the contestant's current attempt and calls
:func:`contest.services.uploads.store_answer_file` (which checks every rule); the answer itself
is then sent over the socket as ``{"upload_id": n}``. Files are never public media: the
download goes through :func:`contest.permissions.can_view_answer_file`.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contest import permissions
from contest.models import AnswerUpload, Attempt, Round
from contest.services.answers import ANSWER_REFUSALS
from contest.services.errors import DomainError
from contest.services.uploads import store_answer_file
from contest.snapshots import current_attempt


@login_required
@require_POST
def answer_file_upload(request, slug, round_id, slot):
    """Multipart ``file``; JSON ``{"upload_id", "name", "size"}`` or ``{"error", "reason"}``."""
    round_ = get_object_or_404(Round, pk=round_id, edition__slug=slug, mode=Round.Mode.EXAM)
    registration = permissions.contestant_registration(request.user, round_.edition)
    if registration is None:
        return JsonResponse({"error": str(ANSWER_REFUSALS["not_yours"]), "reason": "not_yours"}, status=403)
    attempt = current_attempt(
        list(Attempt.objects.filter(round=round_, registration=registration).order_by("-number"))
    )
    if attempt is None:
        return JsonResponse({"error": str(ANSWER_REFUSALS["no_attempt"]), "reason": "no_attempt"}, status=409)
    try:
        upload = store_answer_file(
            attempt=attempt,
            slot=slot,
            uploaded_file=request.FILES.get("file"),
            user=request.user,
            now=timezone.now(),
        )
    except DomainError as error:
        status = 400 if error.reason == "invalid" else 409
        return JsonResponse({"error": error.message, "reason": error.reason}, status=status)
    return JsonResponse({"upload_id": upload.pk, "name": upload.original_name, "size": upload.size})


@login_required
def answer_file_download(request, slug, upload_id):
    upload = get_object_or_404(
        AnswerUpload.objects.select_related("attempt__round__edition", "attempt__registration__person"),
        pk=upload_id,
        attempt__round__edition__slug=slug,
    )
    permissions.require(permissions.can_view_answer_file(request.user, upload))
    try:
        handle = upload.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Không tìm thấy tệp.")) from None
    response = FileResponse(
        handle, content_type=upload.content_type, as_attachment=True, filename=upload.original_name
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
