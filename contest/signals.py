"""Audit rows for logins, from Django's own authentication signals.

A signal is the one place that sees every login, whichever view or backend performed it.
Rows name the account by id only; a failed attempt on an unknown username records no name.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from . import audit


@receiver(user_logged_in, dispatch_uid="hoithi_audit_login")
def record_login(sender, request, user, **kwargs):
    audit.record(action="auth.login", actor=user, ip=audit.client_ip(request))


@receiver(user_login_failed, dispatch_uid="hoithi_audit_login_failed")
def record_login_failure(sender, credentials, request=None, **kwargs):
    username = credentials.get("username") or ""
    user_id = get_user_model().objects.filter(username=username).values_list("pk", flat=True).first()
    audit.record(
        action="auth.login_failed",
        actor=user_id,
        after={"known_account": user_id is not None},
        ip=audit.client_ip(request),
    )
