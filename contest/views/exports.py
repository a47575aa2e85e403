"""Results out: the exports page, downloads, the JSON results API, personal API tokens, and the
public certificate verification page.

Thin: authenticate, authorise through ``contest.permissions``, call ONE service
(``contest.services.exports`` or ``contest.services.api_tokens``), which audits.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from contest import audit, permissions
from contest import scoring_selectors as scores
from contest.models import ApiToken, Certificate, Edition, Round, Unit
from contest.prizes import PrizeLevel
from contest.services import api_tokens, exports
from contest.services.errors import DomainError

BEARER = "bearer "


def _edition(request, slug) -> Edition:
    edition = get_object_or_404(Edition, slug=slug)
    permissions.require(permissions.can_export_results(request.user, edition))
    return edition


def _round(edition, slug):
    if not slug:
        return None
    return get_object_or_404(Round, edition=edition, slug=slug, is_practice=False)


@login_required
def exports_page(request, slug):
    edition = _edition(request, slug)
    api_url = request.build_absolute_uri(reverse("results_api", args=[edition.slug]))
    return render(
        request,
        "contest/exports/exports.html",
        {
            "edition": edition,
            "rounds": scores.ranked_rounds(edition),
            "units": Unit.objects.filter(edition=edition, registrations__isnull=False).distinct(),
            "formats": [
                (
                    "xlsx",
                    _(
                        "Excel (.xlsx): xếp hạng, từng vòng, đội, đơn vị, chi tiết từng câu, phân tích câu hỏi"
                    ),
                ),
                ("csv", _("CSV (tệp .zip, mỗi bảng một tệp, mở được bằng Excel)")),
                ("json", _("JSON (theo lược đồ docs/results.schema.json)")),
                ("pdf", _("PDF: danh sách kết quả chính thức")),
            ],
            "api_url": api_url,
        },
    )


def _download(request, edition, fmt, *, round_=None, unit_code=None) -> HttpResponse:
    try:
        exported = exports.export_results(
            edition=edition,
            fmt=fmt,
            actor=request.user,
            now=timezone.now(),
            round_=round_,
            unit_code=unit_code,
            ip=audit.client_ip(request),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("results_exports", slug=edition.slug)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
    return response


@require_GET
@login_required
def export_download(request, slug, fmt):
    """``?vong=<round slug>`` for one round, ``?don-vi=<unit code>`` for one unit's certificates."""
    edition = _edition(request, slug)
    round_ = _round(edition, request.GET.get("vong"))
    unit_code = request.GET.get("don-vi") or None
    if fmt not in exports.FORMATS:
        return HttpResponse(status=404)
    return _download(request, edition, fmt, round_=round_, unit_code=unit_code)


# --- JSON API -----------------------------------------------------------------------------------


def _api_user(request):
    """The session user, or the user of an ``Authorization: Bearer`` token (scripts)."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith(BEARER):
        return api_tokens.authenticate(header[len(BEARER) :].strip(), now=timezone.now())
    return request.user if request.user.is_authenticated else None


def _api_error(status: int, code: str, message: str) -> JsonResponse:
    response = JsonResponse({"error": code, "message": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="hoithi"'
    return response


@require_GET
def results_api(request, slug):
    """The results JSON (docs/results.schema.json); ``?round=<slug>`` for one round."""
    user = _api_user(request)
    if user is None:
        return _api_error(401, "unauthenticated", _("Cần đăng nhập hoặc khóa API (Authorization: Bearer …)."))
    edition = Edition.objects.filter(slug=slug).first()
    if edition is None or not permissions.can_export_results(user, edition):
        return _api_error(403, "forbidden", _("Bạn không có quyền xem kết quả của kỳ thi này."))
    round_ = None
    if request.GET.get("round"):
        round_ = Round.objects.filter(edition=edition, slug=request.GET["round"], is_practice=False).first()
        if round_ is None:
            return _api_error(404, "not_found", _("Không có vòng thi này."))
    exported = exports.export_results(
        edition=edition,
        fmt="json",
        actor=user,
        now=timezone.now(),
        round_=round_,
        ip=audit.client_ip(request),
    )
    return HttpResponse(exported.content, content_type="application/json; charset=utf-8")


# --- Personal API tokens -------------------------------------------------------------------------


@login_required
def token_list(request):
    permissions.require(permissions.can_hold_api_token(request.user))
    created = None
    if request.method == "POST":
        now, ip = timezone.now(), audit.client_ip(request)
        try:
            if request.POST.get("action") == "revoke":
                token = get_object_or_404(ApiToken, pk=request.POST.get("token"), user=request.user)
                api_tokens.revoke_token(token=token, actor=request.user, now=now, ip=ip)
                messages.success(request, _("Đã thu hồi khóa."))
                return redirect("api_tokens")
            _token, created = api_tokens.create_token(
                user=request.user, name=request.POST.get("name", ""), now=now, ip=ip
            )
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("api_tokens")
    response = render(
        request,
        "contest/exports/tokens.html",
        {"tokens": ApiToken.objects.filter(user=request.user), "created": created},
    )
    response["Cache-Control"] = "no-store"  # the page may hold a token shown once
    return response


# --- Public certificate verification --------------------------------------------------------------


def certificate_verify(request, code):
    """Public: confirms a certificate. The holder's name only with their consent to publish it."""
    certificate = get_object_or_404(
        Certificate.objects.select_related(
            "edition", "registration__person", "registration__unit", "team__unit"
        ),
        code=code,
    )
    person = certificate.registration.person if certificate.registration_id else None
    return render(
        request,
        "contest/exports/verify.html",
        {
            "certificate": certificate,
            "prize": PrizeLevel(certificate.level).label,
            "person": person,
            "show_name": person is None or person.public_consent_at is not None,
            "revoked": certificate.revoked_at is not None,
            "unit": (certificate.registration or certificate.team).unit,
        },
    )
