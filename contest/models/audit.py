"""The append-only audit log.

Every organiser and judge action writes exactly one row through :func:`contest.audit.record`.
Rows refer to people by id only (no names or e-mail addresses), so that personal data can be
erased without rewriting history. The application cannot change or delete a row: the model and
its queryset refuse it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditLogImmutableError(Exception):
    """Raised on any attempt to change or delete an audit row."""


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogImmutableError("Audit rows cannot be changed.")

    def delete(self):
        raise AuditLogImmutableError("Audit rows cannot be deleted.")


class AuditLog(models.Model):
    action = models.CharField(_("hành động"), max_length=80, db_index=True)
    actor_id = models.BigIntegerField(_("mã người thực hiện"), null=True, blank=True, db_index=True)
    actor_role = models.CharField(_("vai trò"), max_length=20, blank=True)
    edition_id = models.BigIntegerField(_("mã kỳ hội thi"), null=True, blank=True, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=60, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=60, blank=True)
    before = models.JSONField(_("trước"), null=True, blank=True)
    after = models.JSONField(_("sau"), null=True, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm (UTC)"), db_index=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký kiểm tra")
        verbose_name_plural = _("nhật ký kiểm tra")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogImmutableError("Audit rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogImmutableError("Audit rows cannot be deleted.")
