"""Certificates (giấy chứng nhận) as issued, so that their QR codes can be verified.

A certificate is a recorded fact: what was printed, for whom, and when. Its ``code`` is the
unguessable part of the public verification link in the QR code (120 random bits), so nobody
can enumerate certificates; ``serial`` is the short number printed beside it. The verification
page reads the row, never the current ranking: a certificate stays what was handed over,
until a later printing finds that its holder no longer has that prize (a regrade, an appeal,
changed quotas) and revokes it (``revoked_at``); the page then says so.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from .editions import Edition
from .people import Registration, Team


def new_certificate_code() -> str:
    return secrets.token_urlsafe(15)


class Certificate(models.Model):
    edition = models.ForeignKey(
        Edition, verbose_name=_("kỳ hội thi"), on_delete=models.CASCADE, related_name="certificates"
    )
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("thí sinh"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("đội thi"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    level = models.CharField(_("mức giải"), max_length=12)
    code = models.CharField(_("mã xác minh"), max_length=40, unique=True, default=new_certificate_code)
    serial = models.PositiveIntegerField(_("số giấy chứng nhận"))
    issued_at = models.DateTimeField(_("cấp lúc"))
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("giấy chứng nhận")
        verbose_name_plural = _("các giấy chứng nhận")
        ordering = ["edition_id", "serial"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registration__isnull=True) ^ models.Q(team__isnull=True),
                name="certificate_for_person_or_team",
            ),
            models.UniqueConstraint(fields=["edition", "serial"], name="certificate_serial_unique"),
            models.UniqueConstraint(
                fields=["edition", "registration", "level"],
                condition=models.Q(registration__isnull=False),
                name="one_certificate_per_person_prize",
            ),
            models.UniqueConstraint(
                fields=["edition", "team", "level"],
                condition=models.Q(team__isnull=False),
                name="one_certificate_per_team_prize",
            ),
        ]

    def __str__(self):
        return f"{self.edition_id}/{self.serial:04d}"
