"""Results out: render an edition's (or a round's) results in one format, audit it, and issue
the certificates the certificate PDF prints.

One entry point, :func:`export_results`, serves the download views, the JSON API and the
``export_results`` command, so every path audits the same ``results.exported`` row and renders
the same bytes. Rendering is pure (``contest.exporters``); the only writes are the audit row
and, for certificates, the :class:`~contest.models.Certificate` rows, so that each QR code
points at a verification page that exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from contest import audit, permissions
from contest.exporters import csv_safe, documents, pdf, xlsx
from contest.exporters.collect import Collected, collect
from contest.exporters.results import ResultsData, dumps_results, results_document, results_tables
from contest.models import Certificate, Edition, Registration, Round, Team
from contest.services.errors import Invalid

FORMATS = ("xlsx", "csv", "json", "pdf", "prizes", "certificates")
_CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
    "json": "application/json",
    "pdf": "application/pdf",
    "prizes": "application/pdf",
    "certificates": "application/pdf",
}
_SUFFIX = {
    "xlsx": "xlsx",
    "csv": "csv.zip",
    "json": "json",
    "pdf": "pdf",
    "prizes": "giai-thuong.pdf",
    "certificates": "giay-chung-nhan.pdf",
}


@dataclass(frozen=True, slots=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def verification_url(code: str) -> str:
    """The absolute public address a certificate's QR code holds."""
    base = settings.HOITHI["PUBLIC_BASE_URL"].rstrip("/")
    return base + reverse("certificate_verify", args=[code])


def _letterhead(edition, now: datetime) -> pdf.Letterhead:
    # "Liên đoàn Lao động / Thành phố Hà Nội": break where an official would, not mid-name.
    parent = edition.organiser_name.replace(" Thành phố ", "\nThành phố ", 1)
    return pdf.Letterhead(
        parent_body=parent,
        issuing_body=_("Ban Tổ chức Hội thi"),
        issued_on=timezone.localtime(now).date(),
    )


def _document(edition, now: datetime, title: str, subtitle: tuple[str, ...]) -> pdf.OfficialDocument:
    return pdf.OfficialDocument(
        letterhead=_letterhead(edition, now),
        title=title,
        subtitle=subtitle,
        signatories=(
            pdf.Signatory(_("Trưởng ban"), on_behalf=_("TM. Ban Giám khảo")),
            pdf.Signatory(_("Trưởng ban"), on_behalf=_("TM. Ban Tổ chức")),
        ),
    )


def _result_list(edition, data: ResultsData, round_: Round | None, now: datetime) -> bytes:
    tables = results_tables(data)
    if round_ is None:
        title, table = _("Kết quả xếp hạng cá nhân"), tables[0]
    else:
        title, table = _("Kết quả %(round)s") % {"round": round_.name}, tables[1]
    return pdf.render_result_list(_document(edition, now, title, (edition.name,)), table)


def _prize_list(edition, data: ResultsData, now: datetime) -> bytes:
    people, teams = documents.prize_sections(data), documents.prize_sections(data, teams=True)
    if people and teams:  # say which is which when both lists are printed
        people = [replace(s, heading=_("%(level)s cá nhân") % {"level": s.heading}) for s in people]
        teams = [replace(s, heading=_("%(level)s đồng đội") % {"level": s.heading}) for s in teams]
    sections = people + teams
    if not sections:
        raise Invalid(_("Chưa có giải thưởng nào để in danh sách."))
    return pdf.render_prize_list(_document(edition, now, _("Danh sách đạt giải"), (edition.name,)), sections)


@transaction.atomic
def issue_certificates(edition, data: ResultsData, *, now: datetime) -> dict[str, Certificate]:
    """One :class:`Certificate` per prize winner and prize, created once and reused after:
    printing again gives the same codes and serials. A certificate whose holder no longer has
    its prize is revoked (its verification page says so). Returns the valid ones by contestant
    or team code.

    Opens a short transaction (no rendering inside it); serials are allocated under a lock on
    the edition's row.
    """
    people = {c.code: c.prize.value for c in data.contestants if c.prize is not None}
    teams = {t.code: t.prize.value for t in data.teams if t.prize is not None}
    if clash := sorted(people.keys() & teams.keys()):
        raise Invalid(
            _("Mã đội trùng số báo danh: %(codes)s; hãy đổi mã đội trước khi in.")
            % {"codes": ", ".join(clash)}
        )
    registrations = dict(
        Registration.objects.filter(edition=edition, code__in=people).values_list("code", "pk")
    )
    team_ids = dict(Team.objects.filter(edition=edition, code__in=teams).values_list("code", "pk"))
    # Lock the edition row: two first printings at once must not both take serial 1.
    Edition.objects.select_for_update().filter(pk=edition.pk).first()
    by_key = {(c.registration_id, c.team_id, c.level): c for c in Certificate.objects.filter(edition=edition)}
    serial = Certificate.objects.filter(edition=edition).aggregate(top=Max("serial"))["top"] or 0
    result, new = {}, []
    wanted = [(code, registrations[code], None, level) for code, level in people.items()] + [
        (code, None, team_ids[code], level) for code, level in teams.items()
    ]
    keys = {(registration_id, team_id, level) for _code, registration_id, team_id, level in wanted}
    superseded = [c.pk for key, c in by_key.items() if key not in keys and c.revoked_at is None]
    Certificate.objects.filter(pk__in=superseded).update(revoked_at=now)
    # A prize won back (a regrade undone) makes its certificate valid again.
    Certificate.objects.filter(pk__in=[by_key[key].pk for key in keys & by_key.keys()]).update(
        revoked_at=None
    )
    for code, registration_id, team_id, level in wanted:
        certificate = by_key.get((registration_id, team_id, level))
        if certificate is None:
            serial += 1
            certificate = Certificate(
                edition=edition,
                registration_id=registration_id,
                team_id=team_id,
                level=level,
                serial=serial,
                issued_at=now,
            )
            new.append(certificate)
        result[code] = certificate
    Certificate.objects.bulk_create(new)
    return result


def _certificates(edition, data: ResultsData, now: datetime, unit_code: str | None) -> bytes:
    winners = [w for w in (*data.contestants, *data.teams) if w.prize is not None]
    if not winners:
        raise Invalid(_("Chưa có ai đạt giải: không có giấy chứng nhận để in."))
    if unit_code and not any(w.unit_code == unit_code for w in winners):
        raise Invalid(_("Đơn vị này không có ai đạt giải."))  # checked before anything is issued
    issued = issue_certificates(edition, data, now=now)
    certificates = documents.certificates(
        data,
        issuer=edition.organiser_name,
        signatory=pdf.Signatory(_("Trưởng Ban Tổ chức")),
        issued_on=timezone.localtime(now).date(),
        verification_url=lambda code: verification_url(issued[code].code),
        serial=lambda code: f"{issued[code].serial:04d}",
        unit_code=unit_code,
    )
    return pdf.render_certificates(certificates)


def render(edition, collected: Collected, *, fmt: str, now: datetime, round_=None, unit_code=None) -> bytes:
    """The export's bytes. Only ``certificates`` writes (the certificate rows)."""
    data = collected.data
    renderers: dict[str, Callable[[], bytes]] = {
        "xlsx": lambda: xlsx.render_xlsx(collected.tables()),
        "csv": lambda: csv_safe.render_csv_zip(collected.tables()),
        "json": lambda: dumps_results(results_document(data)),
        "pdf": lambda: _result_list(edition, data, round_, now),
        "prizes": lambda: _prize_list(edition, data, now),
        "certificates": lambda: _certificates(edition, data, now, unit_code),
    }
    return renderers[fmt]()


def export_results(
    *, edition, fmt: str, actor=None, now: datetime, round_: Round | None = None, unit_code=None, ip=None
) -> ExportFile:
    """Render the results in ``fmt`` and audit ``results.exported``.

    ``round_`` restricts the export to one round (no prizes, so neither the prize list nor
    certificates); ``unit_code`` restricts certificates to one unit. Raises :class:`Invalid`
    for an unknown format or nothing to print, writing nothing then. Writes the certificate
    rows (their own short transaction) and the audit row; renders outside any transaction;
    emits no events.
    """
    if fmt not in FORMATS:
        raise Invalid(
            _("Định dạng “%(fmt)s” không hợp lệ; dùng: %(all)s.") % {"fmt": fmt, "all": ", ".join(FORMATS)}
        )
    if round_ is not None and fmt in ("prizes", "certificates"):
        raise Invalid(_("Giải thưởng và giấy chứng nhận tính cho cả kỳ thi, không theo từng vòng."))
    if round_ is not None and (round_.edition_id != edition.pk or round_.is_practice):
        raise Invalid(_("Vòng thi thử không được xuất kết quả."))
    collected = collect(edition, now=now, round_=round_, details=fmt in ("xlsx", "csv"))
    if fmt in ("prizes", "certificates") and collected.pending_ties:
        raise Invalid(
            _(
                "Còn trường hợp đồng hạng ở ranh giới giải chưa được quyết định; hãy quyết định ở trang Giải thưởng trước khi in."
            )
        )
    # Rendering takes seconds for big editions: it runs outside any transaction, so it never
    # holds the database's write lock while a live round is saving answers.
    content = render(edition, collected, fmt=fmt, now=now, round_=round_, unit_code=unit_code)
    after = {"format": fmt, "round": round_.slug if round_ else None, "unit": unit_code}
    if fmt == "certificates":  # the ones this printing revoked, by serial
        after["revoked"] = list(
            Certificate.objects.filter(edition=edition, revoked_at=now).values_list("serial", flat=True)
        )
    audit.record(
        action="results.exported",
        actor=actor,
        actor_role=permissions.actor_role(actor, edition) if actor is not None else "command",
        edition=edition,
        obj=round_,
        after=after,
        ip=ip,
        now=now,
    )
    stem = edition.slug if round_ is None else f"{edition.slug}-{round_.slug}"
    if unit_code:
        stem += f"-{unit_code}"
    return ExportFile(f"ket-qua-{stem}.{_SUFFIX[fmt]}", _CONTENT_TYPES[fmt], content)
