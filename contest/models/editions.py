"""Contest editions and the unit tree each one is run with.

Units are scoped per edition: a district union that merges with another between editions keeps
its old results under its old name, because each edition has its own copy of the tree.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Edition(models.Model):
    """One run of the contest, e.g. "Hội thi 2026"."""

    slug = models.SlugField(_("mã định danh"), max_length=60, unique=True)
    name = models.CharField(_("tên hội thi"), max_length=200)
    organiser_name = models.CharField(
        _("đơn vị tổ chức"), max_length=200, blank=True, default="Liên đoàn Lao động Thành phố Hà Nội"
    )
    starts_on = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    ends_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("kỳ trước"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("kỳ hội thi")
        verbose_name_plural = _("các kỳ hội thi")
        ordering = ["-starts_on", "slug"]

    def __str__(self):
        return self.name


class Cluster(models.Model):
    """A cụm thi đua: units grouped together for a qualifier round."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("kỳ hội thi"), on_delete=models.CASCADE, related_name="clusters"
    )
    code = models.CharField(_("mã cụm"), max_length=30)
    name = models.CharField(_("tên cụm"), max_length=200)

    class Meta:
        verbose_name = _("cụm thi đua")
        verbose_name_plural = _("các cụm thi đua")
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="cluster_code_unique_in_edition")
        ]
        ordering = ["code"]

    def __str__(self):
        return self.name


class Unit(models.Model):
    """A đơn vị: the city federation, a district or sector union, or a grass-roots union."""

    class Level(models.TextChoices):
        CITY = "city", _("Liên đoàn Lao động Thành phố")
        DISTRICT = "district", _("Công đoàn cấp trên cơ sở")
        GRASSROOTS = "grassroots", _("Công đoàn cơ sở")

    edition = models.ForeignKey(
        Edition, verbose_name=_("kỳ hội thi"), on_delete=models.CASCADE, related_name="units"
    )
    code = models.CharField(_("mã đơn vị"), max_length=30)
    name = models.CharField(_("tên đơn vị"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    level = models.CharField(_("cấp"), max_length=20, choices=Level.choices, default=Level.DISTRICT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    cluster = models.ForeignKey(
        Cluster,
        verbose_name=_("cụm thi đua"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="units",
    )
    expected_headcount = models.PositiveIntegerField(
        _("số cán bộ dự kiến tham gia"),
        default=0,
        help_text=_("Mẫu số của tỷ lệ tham gia khi xếp hạng đơn vị."),
    )
    color = models.CharField(
        _("màu hiển thị"), max_length=7, blank=True, help_text=_("Mã màu #rrggbb trên màn chiếu.")
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("sao chép từ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("các đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="unit_code_unique_in_edition")
        ]
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} – {self.name}"
