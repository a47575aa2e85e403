"""Import (upload -> preview -> confirm), export and the spreadsheet template.

Between preview and confirm the uploaded bytes wait in the default storage under a random
name in the user's own folder, and only the name is kept in the user's session, so the
confirm step imports exactly the file that was previewed, parsed again, and nobody else can
reach it. Models are not involved: nothing is written until the confirm.
"""

import secrets
from datetime import timedelta
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from ..exporters import EXTENSIONS, export_file
from ..exporters import FORMATS as EXPORT_FORMATS
from ..exporters.xlsx import write_template
from ..html import html_to_text
from ..importers import FORMATS, MAX_UPLOAD_BYTES, parse_upload
from ..models import QuestionType
from ..services import check_import, import_questions
from .access import access_bank

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_DIR = "import-previews"
ABANDONED_AFTER = timedelta(days=1)
TYPE_LABELS = dict(QuestionType.choices)
FORMAT_LABELS = {
    "auto": gettext_lazy("Tự nhận dạng"),
    "xlsx": "Excel (.xlsx)",
    "csv": "CSV",
    "docx": "Word (.docx)",
    "gift": "GIFT",
    "aiken": "Aiken",
    "moodlexml": "Moodle XML",
}
CONTENT_TYPES = {
    "xlsx": XLSX_TYPE,
    "gift": "text/plain; charset=utf-8",
    "aiken": "text/plain; charset=utf-8",
    "moodlexml": "application/xml; charset=utf-8",
}


def _session_key(bank) -> str:
    return f"quizzes_import_{bank.pk}"


def _pending(request, bank) -> dict | None:
    """The upload waiting for confirmation, if it belongs to this user and still exists."""
    pending = request.session.get(_session_key(bank))
    if not pending or not pending["path"].startswith(f"{UPLOAD_DIR}/{request.user.pk}/"):
        return None
    return pending if default_storage.exists(pending["path"]) else None


def _discard(request, bank) -> None:
    pending = request.session.pop(_session_key(bank), None)
    if pending and pending["path"].startswith(f"{UPLOAD_DIR}/{request.user.pk}/"):
        default_storage.delete(pending["path"])


def _purge_abandoned(now) -> None:
    """Delete the previews nobody confirmed or cancelled (a closed tab, an expired session),
    anyone's, once a day old. Run at each upload, the only time a new one appears."""
    try:
        users, _files = default_storage.listdir(UPLOAD_DIR)
    except FileNotFoundError:
        return
    for user in users:
        folder = f"{UPLOAD_DIR}/{user}"
        for name in default_storage.listdir(folder)[1]:
            path = f"{folder}/{name}"
            if now - default_storage.get_modified_time(path) > ABANDONED_AFTER:
                default_storage.delete(path)


def _parse_pending(pending):
    with default_storage.open(pending["path"], "rb") as handle:
        data = handle.read()
    return parse_upload(data, pending["filename"], pending["format"])


@login_required
def import_upload(request, bank_id):
    """GET: the upload form. POST: parse the file; a file that cannot be read at all is
    refused here, anything else goes to the preview. Nothing is written to the bank."""
    bank = access_bank(request, bank_id)
    context = {
        "bank": bank,
        "edition": bank.edition,
        "formats": [(key, FORMAT_LABELS[key]) for key in ("auto", *FORMATS)],
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
    }
    if request.method != "POST":
        return render(request, "quizzes/import_upload.html", context)
    upload = request.FILES.get("file")
    fmt = request.POST.get("format", "auto")
    if fmt != "auto" and fmt not in FORMATS:
        fmt = "auto"
    context["chosen"] = fmt
    if upload is None:
        context["errors"] = [_("Hãy chọn một tệp.")]
        return render(request, "quizzes/import_upload.html", context, status=400)
    if upload.size > MAX_UPLOAD_BYTES:
        context["errors"] = [_("Tệp quá lớn (tối đa %(max)d MB).") % {"max": context["max_mb"]}]
        return render(request, "quizzes/import_upload.html", context, status=400)
    data = upload.read()
    filename = PurePath(upload.name or "").name[:200]
    result = parse_upload(data, filename, fmt)
    if not result.questions:
        context["errors"] = [
            (_("Dòng %(line)d: %(message)s") % {"line": issue.line, "message": issue.message})
            if issue.line
            else issue.message
            for issue in result.errors
        ] or [_("Tệp không có câu hỏi nào.")]
        return render(request, "quizzes/import_upload.html", context, status=400)
    _discard(request, bank)
    _purge_abandoned(timezone.now())
    suffix = PurePath(filename).suffix.lower()[:10]
    path = default_storage.save(
        f"{UPLOAD_DIR}/{request.user.pk}/{secrets.token_hex(16)}{suffix}", ContentFile(data)
    )
    request.session[_session_key(bank)] = {"path": path, "filename": filename, "format": fmt}
    return redirect("quizzes:import_preview", bank.pk)


@never_cache
@login_required
def import_preview(request, bank_id):
    """GET: every question with its type and problems. POST: import, all or (when chosen)
    the valid ones only; or cancel."""
    bank = access_bank(request, bank_id)
    pending = _pending(request, bank)
    if pending is None:
        messages.error(request, _("Không còn tệp nào chờ nhập; hãy tải tệp lên lại."))
        return redirect("quizzes:import_upload", bank.pk)
    if request.method == "POST" and request.POST.get("action") == "cancel":
        _discard(request, bank)
        messages.info(request, _("Đã hủy, không có câu hỏi nào được nhập."))
        return redirect("quizzes:bank_detail", bank.pk)
    result = _parse_pending(pending)
    if request.method == "POST":
        skip = request.POST.get("action") == "skip_invalid"
        report = import_questions(bank=bank, result=result, skip_invalid=skip, actor=request.user)
        if report.written:
            _discard(request, bank)
            messages.success(
                request,
                _("Đã nhập %(n)d câu hỏi; bỏ qua %(skipped)d câu lỗi.")
                % {"n": report.imported, "skipped": report.invalid_count},
            )
            return redirect("quizzes:bank_detail", bank.pk)
        messages.error(
            request, _("Tệp còn lỗi nên chưa nhập câu nào. Hãy sửa tệp, hoặc chọn bỏ qua các câu lỗi.")
        )
    report = check_import(bank=bank, result=result)
    return render(
        request,
        "quizzes/import_preview.html",
        {
            "bank": bank,
            "edition": bank.edition,
            "pending": pending,
            # Word shows no line numbers: its importer counts paragraphs.
            "line_label": _("Đoạn") if result.format == "docx" else _("Dòng"),
            "report": report,
            "rows": _preview_rows(result, report),
            # Errors about no question: the file refused (no line) or a block that did not
            # parse (with a line; skipped with the others under the skip choice).
            "file_errors": [i for i in report.errors if i.question_index is None and i.line is None],
            "block_errors": [i for i in report.errors if i.question_index is None and i.line is not None],
            "valid_count": report.total - len(report.skipped_indexes),
            "by_type": [(TYPE_LABELS.get(qtype, qtype), count) for qtype, count in report.by_type.items()],
        },
        status=400 if request.method == "POST" else 200,
    )


def _preview_rows(result, report) -> list[dict]:
    issues: dict[int, list] = {}
    for issue in [*report.errors, *report.warnings]:
        if issue.question_index is not None:
            issues.setdefault(issue.question_index, []).append(issue)
    rows = []
    for index, question in enumerate(result.questions):
        text = html_to_text(question.stem_html)
        rows.append(
            {
                "number": index + 1,
                "line": question.line,
                "qtype": TYPE_LABELS.get(question.qtype, question.qtype),
                "stem": text if len(text) <= 140 else text[:139] + "…",
                "issues": sorted(issues.get(index, []), key=lambda i: (not i.is_error, i.line or 0)),
                "invalid": index in report.skipped_indexes,
            }
        )
    return rows


@login_required
def export_bank(request, bank_id, fmt):
    """Download the bank in ``fmt``; questions the format cannot hold are left out (the
    command ``export_questions`` lists them)."""
    bank = access_bank(request, bank_id)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    response = HttpResponse(content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="ngan-hang-{bank.pk}{EXTENSIONS[fmt]}"'
    export_file(bank, fmt, response)
    return response


@login_required
def spreadsheet_template(request):
    response = HttpResponse(content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-ngan-hang-cau-hoi.xlsx"'
    write_template(response)
    return response
