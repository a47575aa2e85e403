"""Units, contestants and teams pages, bulk registration and login slips.

Organisers see every unit of the edition; a unit coordinator sees only their units (and the
units under them). The uploaded file waits in the session between preview and confirm, so the
confirm step checks exactly the bytes that were previewed, again, before writing.
"""

import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import audit, permissions, selectors
from ..models import Edition, Registration, Unit
from ..registration_import import MAX_FILE_BYTES, build_template
from ..services import registration as registration_service

SESSION_KEY = "hoithi_registration_upload"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _access_edition(request, slug) -> tuple[Edition, set[int]]:
    """The edition and the units the user manages in it; 403 for anyone else."""
    edition = get_object_or_404(Edition, slug=slug)
    permissions.require(permissions.can_manage_registrations(request.user, edition))
    return edition, permissions.manageable_unit_ids(request.user, edition)


@login_required
def unit_list(request, slug):
    edition, unit_ids = _access_edition(request, slug)
    return render(
        request,
        "contest/registration/units.html",
        {"edition": edition, "units": selectors.list_units_tree(edition, unit_ids)},
    )


@login_required
def registration_list(request, slug):
    edition, unit_ids = _access_edition(request, slug)
    return render(
        request,
        "contest/registration/registrations.html",
        {"edition": edition, "registrations": selectors.list_registrations(edition, unit_ids)},
    )


@login_required
def team_list(request, slug):
    edition, unit_ids = _access_edition(request, slug)
    return render(
        request,
        "contest/registration/teams.html",
        {"edition": edition, "teams": selectors.list_teams(edition, unit_ids)},
    )


@login_required
def import_template(request, slug):
    edition, unit_ids = _access_edition(request, slug)
    units = Unit.objects.filter(edition=edition, pk__in=unit_ids).order_by("code").values_list("code", "name")
    response = HttpResponse(build_template(list(units)), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="mau-dang-ky-{edition.slug}.xlsx"'
    return response


@login_required
def import_upload(request, slug):
    """GET: the upload form. POST: check the file and show the preview; nothing is written."""
    edition, _unit_ids = _access_edition(request, slug)
    context = {"edition": edition, "max_mb": MAX_FILE_BYTES // (1024 * 1024)}
    if request.method != "POST":
        return render(request, "contest/registration/import.html", context)
    upload = request.FILES.get("file")
    if upload is None:
        context["upload_error"] = _("Hãy chọn tệp .xlsx hoặc .csv để tải lên.")
        return render(request, "contest/registration/import.html", context, status=400)
    if upload.size > MAX_FILE_BYTES:
        context["upload_error"] = _("Tệp quá lớn; giới hạn là 2 MB.")
        return render(request, "contest/registration/import.html", context, status=400)
    content = upload.read()
    preview = registration_service.preview_registrations(
        edition=edition,
        actor=request.user,
        filename=upload.name,
        content=content,
        today=timezone.localdate(),
    )
    if preview.can_confirm:
        request.session[SESSION_KEY] = {
            "edition": edition.pk,
            "filename": upload.name,
            "content": base64.b64encode(content).decode("ascii"),
        }
    else:
        request.session.pop(SESSION_KEY, None)
    return render(
        request,
        "contest/registration/preview.html",
        {**context, "preview": preview, "filename": upload.name},
        status=200 if preview.can_confirm else 422,
    )


@never_cache
@login_required
@require_POST
def import_confirm(request, slug):
    """Create the accounts and show their login slips: the only time passwords are shown."""
    edition, _unit_ids = _access_edition(request, slug)
    stored = request.session.pop(SESSION_KEY, None)
    if not stored or stored.get("edition") != edition.pk:
        messages.error(
            request, _("Không còn tệp chờ xác nhận (có thể đã xác nhận rồi). Hãy tải tệp lên lại.")
        )
        return redirect("registration_import", slug=edition.slug)
    try:
        slips = registration_service.confirm_registrations(
            edition=edition,
            actor=request.user,
            filename=stored["filename"],
            content=base64.b64decode(stored["content"]),
            ip=audit.client_ip(request),
        )
    except registration_service.RegistrationImportError as exc:
        messages.error(request, str(exc))
        return redirect("registration_import", slug=edition.slug)
    return _render_slips(request, edition, slips, created=True)


@never_cache
@login_required
@require_POST
def reprint_slips(request, slug):
    """Reprint slips for the chosen contestants, which gives each of them a new password."""
    edition, unit_ids = _access_edition(request, slug)
    ids = [value for value in request.POST.getlist("registration") if value.isdigit()]
    chosen = list(
        Registration.objects.filter(edition=edition, unit_id__in=unit_ids, pk__in=ids).select_related(
            "person__user", "unit", "team"
        )
    )
    if not ids:
        messages.error(request, _("Hãy chọn ít nhất một thí sinh để in lại phiếu."))
        return redirect("registration_list", slug=edition.slug)
    # Someone else's contestant (or a made-up id) in the list: refuse the whole request.
    permissions.require(len(chosen) == len(set(ids)))
    slips = registration_service.reset_passwords(
        edition=edition, actor=request.user, registrations=chosen, ip=audit.client_ip(request)
    )
    if not slips:
        messages.error(request, _("Những thí sinh đã chọn chưa có tài khoản đăng nhập."))
        return redirect("registration_list", slug=edition.slug)
    return _render_slips(request, edition, slips, created=False)


def _login_qr_svg(url: str) -> str:
    """An inline SVG QR code of the login address: phones open it without typing the URL."""
    import segno  # imported here: only slip pages draw QR codes

    return segno.make(url, error="m").svg_inline(scale=2, border=2, title=url)


def _render_slips(request, edition, slips, *, created: bool):
    groups: list[dict] = []
    for slip in slips:
        if not groups or groups[-1]["unit_code"] != slip.unit_code:
            groups.append({"unit_code": slip.unit_code, "unit_name": slip.unit_name, "slips": []})
        groups[-1]["slips"].append(slip)
    login_url = settings.HOITHI["PUBLIC_BASE_URL"].rstrip("/") + reverse("login")
    return render(
        request,
        "contest/registration/slips.html",
        {
            "edition": edition,
            "groups": groups,
            "count": len(slips),
            "created": created,
            "login_url": login_url,
            "login_qr": mark_safe(_login_qr_svg(login_url)),  # noqa: S308 - segno's own SVG markup
        },
    )
