"""Personal API tokens: how a script reads the results API without a browser session.

Only a SHA-256 hash of each token is stored. The token is shown once, when it is created; a
leaked database then gives nobody a usable token. A plain (fast) hash is enough because the
token is 256 random bits, not a password anyone could guess. A token acts as its user, with the
user's per-edition roles, and stops working once revoked.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "hoithi_"  # noqa: S105 (a visible marker, not a secret)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("tên gợi nhớ"), max_length=100)
    token_hash = models.CharField(_("mã băm của khóa"), max_length=64, unique=True)
    hint = models.CharField(
        _("đầu khóa"), max_length=20, help_text=_("Vài ký tự đầu để nhận ra khóa; không đủ để dùng.")
    )
    created_at = models.DateTimeField(_("tạo lúc"))
    last_used_at = models.DateTimeField(_("dùng lần cuối lúc"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("khóa truy cập API")
        verbose_name_plural = _("các khóa truy cập API")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.hint}…)"
