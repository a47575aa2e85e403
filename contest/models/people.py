"""People, their registration in an edition, teams, and roles granted per edition.

A :class:`Person` is the stable identity across editions; a :class:`Registration` records the
unit, position and team as they were in one edition. Roles other than contestant are granted
per edition through :class:`RoleGrant`; being a contestant is having a registration.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .editions import Edition, Unit


class Person(models.Model):
    """A union official, possibly registered in several editions."""

    class Gender(models.TextChoices):
        FEMALE = "F", _("Nữ")
        MALE = "M", _("Nam")
        OTHER = "O", _("Khác")

    full_name = models.CharField(_("họ và tên"), max_length=150)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    gender = models.CharField(_("giới tính"), max_length=1, choices=Gender.choices, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    public_consent_at = models.DateTimeField(
        _("đồng ý công khai lúc"),
        null=True,
        blank=True,
        help_text=_(
            "Khi người này đồng ý hiện tên trên bảng điểm công khai và trang xác minh giấy chứng nhận."
        ),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("các cán bộ")

    def __str__(self):
        return self.full_name


class Team(models.Model):
    """A đội thi that a unit sends to one edition."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("kỳ hội thi"), on_delete=models.CASCADE, related_name="teams"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="teams")
    code = models.CharField(_("mã đội"), max_length=30)
    name = models.CharField(_("tên đội"), max_length=200)
    captain = models.ForeignKey(
        "Registration",
        verbose_name=_("đội trưởng"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("đội thi")
        verbose_name_plural = _("các đội thi")
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="team_code_unique_in_edition")
        ]
        ordering = ["code"]

    def __str__(self):
        return self.name


class Registration(models.Model):
    """A person taking part in one edition as a contestant."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("kỳ hội thi"), on_delete=models.CASCADE, related_name="registrations"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ"), on_delete=models.PROTECT, related_name="registrations"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="registrations"
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("đội thi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    code = models.CharField(
        _("số báo danh"), max_length=40, help_text=_("Mã thí sinh, cũng là tên đăng nhập khi tạo hàng loạt.")
    )
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("đăng ký lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thí sinh dự thi")
        verbose_name_plural = _("các thí sinh dự thi")
        constraints = [
            models.UniqueConstraint(fields=["edition", "person"], name="one_registration_per_edition"),
            models.UniqueConstraint(fields=["edition", "code"], name="registration_code_unique_in_edition"),
        ]

    def __str__(self):
        return f"{self.code} – {self.person}"


class RoleGrant(models.Model):
    """A role other than contestant, granted to a user for one edition."""

    class Role(models.TextChoices):
        ORGANISER = "organiser", _("Ban tổ chức")
        JUDGE = "judge", _("Giám khảo")
        COORDINATOR = "coordinator", _("Cán bộ phụ trách đơn vị")

    edition = models.ForeignKey(
        Edition, verbose_name=_("kỳ hội thi"), on_delete=models.CASCADE, related_name="role_grants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="role_grants",
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    is_head_judge = models.BooleanField(_("trưởng ban giám khảo"), default=False)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị phụ trách"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Chỉ dùng cho cán bộ phụ trách đơn vị."),
    )
    granted_at = models.DateTimeField(_("cấp lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(fields=["edition", "user", "role"], name="one_grant_per_role"),
            models.CheckConstraint(
                condition=~models.Q(role="coordinator") | models.Q(unit__isnull=False),
                name="coordinator_has_unit",
            ),
            models.CheckConstraint(
                condition=models.Q(is_head_judge=False) | models.Q(role="judge"),
                name="head_judge_is_judge",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} ({self.edition})"
