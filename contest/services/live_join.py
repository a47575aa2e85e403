"""Joining a live round without an account: the round's PIN (its access code, shown on the
projector) plus the contestant's registered code, for a public event on stage.

Throttled like logins: after ``AXES_FAILURE_LIMIT`` refused tries from one address within
``AXES_COOLOFF_TIME``, further tries are refused without being checked. Every refused try is
an audit row (``live.join_refused``, with the address), which is also what the throttle counts,
so it holds across processes; a successful join is audited as ``live.joined``.
"""

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from contest import audit, permissions
from contest.models import AuditLog, Registration, Round
from contest.services.errors import NotAllowed
from contest.snapshots import is_eligible

REFUSED = "live.join_refused"


def _locked_out(ip: str | None, *, now) -> bool:
    since = now - timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    refused = AuditLog.objects.filter(action=REFUSED, ip_address=ip, created_at__gte=since).count()
    return refused >= int(settings.AXES_FAILURE_LIMIT)


def join_with_pin(*, round_: Round, pin: str, code: str, session, ip: str | None, now) -> Registration:
    """Check the PIN and the contestant code; on success remember the contestant in this
    browser's ``session`` for this round only. Writes one audit row either way."""
    if round_.mode != Round.Mode.LIVE or not round_.access_code:
        raise NotAllowed(_("Vòng thi này không cho vào bằng mã PIN."))
    if _locked_out(ip, now=now):
        raise NotAllowed(_("Nhập sai quá nhiều lần. Vui lòng thử lại sau ít phút."))
    registration = (
        Registration.objects.filter(edition_id=round_.edition_id, code__iexact=code.strip()).first()
        if pin.strip() == round_.access_code
        else None
    )
    if registration is None or not is_eligible(round_, registration):
        audit.record(
            action=REFUSED,
            edition=round_.edition_id,
            obj=round_,
            after={"code": code.strip()[:30]},
            ip=ip,
            now=now,
        )
        raise NotAllowed(_("Mã PIN hoặc số báo danh không đúng."))
    joins = dict(session.get(permissions.LIVE_JOINS_SESSION_KEY) or {})
    joins[str(round_.pk)] = registration.pk
    session[permissions.LIVE_JOINS_SESSION_KEY] = joins
    audit.record(
        action="live.joined",
        actor_role="contestant",
        edition=round_.edition_id,
        obj=registration,
        after={"round": round_.pk},
        ip=ip,
        now=now,
    )
    return registration
