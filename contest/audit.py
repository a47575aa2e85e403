"""Writing audit rows. Services call :func:`record` inside their transaction, so the audit row
commits or rolls back together with the change it describes."""

from django.utils import timezone

from .models import AuditLog


def client_ip(request) -> str | None:
    """The client's address as django-axes resolved it: REMOTE_ADDR, which Daphne sets from
    nginx's X-Forwarded-For when started with --proxy-headers behind the proxy (see README)."""
    if request is None:
        return None
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR") or None


def record(
    *,
    action: str,
    actor=None,
    actor_role: str = "",
    edition=None,
    obj=None,
    before=None,
    after=None,
    reason: str = "",
    ip: str | None = None,
    now=None,
) -> AuditLog:
    """Append one audit row. ``action`` is a dotted id such as ``round.started``."""
    return AuditLog.objects.create(
        action=action,
        actor_id=getattr(actor, "pk", actor),
        actor_role=actor_role,
        edition_id=getattr(edition, "pk", edition),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        before=before,
        after=after,
        reason=reason,
        ip_address=ip,
        created_at=now or timezone.now(),
    )
