"""Personal API tokens: create (the raw token is returned once and never stored), revoke, and
authenticate a ``Authorization: Bearer`` request.

Audited as ``api_token.created`` and ``api_token.revoked`` (not tied to an edition: a token
serves every edition where its user holds a role). No events.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from contest import audit
from contest.models import ApiToken
from contest.models.api_tokens import TOKEN_PREFIX, hash_token
from contest.services.errors import Invalid, NotAllowed

# last_used_at is informative: writing it at most once a minute keeps a polling script from
# turning every read into a write.
LAST_USED_PRECISION = timedelta(minutes=1)


def new_raw_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def create_token(*, user, name: str, now: datetime, ip=None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the raw token (show it once). Opens a
    transaction; refuses an empty or over-long name."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise Invalid(_("Hãy đặt tên cho khóa (tối đa 100 ký tự), ví dụ “Máy chủ báo cáo”."))
    raw = new_raw_token()
    token = ApiToken.objects.create(
        user=user, name=name, token_hash=hash_token(raw), hint=raw[: len(TOKEN_PREFIX) + 4], created_at=now
    )
    audit.record(action="api_token.created", actor=user, obj=token, after={"name": name}, ip=ip, now=now)
    return token, raw


@transaction.atomic
def revoke_token(*, token: ApiToken, actor, now: datetime, ip=None) -> None:
    """Revoke the actor's own token (once; revoking again changes nothing)."""
    if token.user_id != actor.pk:
        raise NotAllowed(_("Chỉ người tạo khóa mới thu hồi được khóa đó."))
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        audit.record(action="api_token.revoked", actor=actor, obj=token, ip=ip, now=now)


def authenticate(raw: str, *, now: datetime):
    """The user of a valid, unrevoked token whose account is active, or ``None``."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
