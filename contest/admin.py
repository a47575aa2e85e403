"""Django admin for contest models. Audit rows are read-only: changes go through services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    AnswerRevision,
    AnswerUpload,
    ApiToken,
    Appeal,
    AppealRecommendation,
    Attempt,
    AttemptEvent,
    AuditLog,
    Certificate,
    Cluster,
    Edition,
    EditionScoring,
    KeyFix,
    Mark,
    Person,
    PrizeDecision,
    Registration,
    RoleGrant,
    Round,
    RoundBoard,
    RoundClockLease,
    RoundJudging,
    Rubric,
    ScoreAdjustment,
    SignOff,
    Team,
    Unit,
)

admin.site.site_header = _("Quản trị Hội Thi")
admin.site.site_title = _("Quản trị Hội Thi")
admin.site.index_title = _("Quản trị hệ thống")


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records whose changes must go through an audited service."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "starts_on", "ends_on"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "edition"]
    list_filter = ["edition"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "cluster", "expected_headcount", "edition"]
    list_filter = ["edition", "level", "cluster"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


class ConsentFilter(admin.SimpleListFilter):
    title = _("đồng ý công khai")
    parameter_name = "consent"

    def lookups(self, request, model_admin):
        return [("yes", _("Đã đồng ý")), ("no", _("Chưa đồng ý"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(public_consent_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(public_consent_at__isnull=True)
        return queryset


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "date_of_birth", "email", "phone", "user", "public_consent_at"]
    list_filter = [ConsentFilter]
    search_fields = ["full_name", "email", "phone"]
    raw_id_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "edition"]
    list_filter = ["edition"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["code", "person", "unit", "team", "position", "has_public_consent", "edition"]
    list_filter = ["edition"]
    list_select_related = ["person", "unit", "team", "edition"]
    search_fields = ["code", "person__full_name"]
    raw_id_fields = ["person", "unit", "team"]

    @admin.display(description=_("đồng ý công khai"), boolean=True)
    def has_public_consent(self, registration):
        return registration.person.public_consent_at is not None


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "is_head_judge", "unit", "edition"]
    list_filter = ["edition", "role"]
    raw_id_fields = ["user", "unit"]


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "actor_id", "actor_role", "object_type", "object_id"]
    list_filter = ["action", "actor_role"]
    search_fields = ["action", "object_id"]


# --- Rounds and attempts (added by "rounds"): read-only; changes go through the services. -----


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "edition", "mode", "state", "opens_at", "closes_at", "is_practice"]
    list_filter = ["edition", "mode", "state", "is_practice"]
    search_fields = ["name", "slug"]


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    list_display = [
        "round",
        "registration",
        "number",
        "state",
        "started_at",
        "deadline",
        "submitted_at",
        "score",
    ]
    list_filter = ["round__edition", "state", "submit_reason"]
    search_fields = ["registration__code"]
    raw_id_fields = ["round", "registration"]


@admin.register(AnswerRevision)
class AnswerRevisionAdmin(ReadOnlyAdmin):
    list_display = ["attempt", "slot", "revision", "received_at", "fraction", "points", "pending"]
    raw_id_fields = ["attempt"]


@admin.register(AnswerUpload)
class AnswerUploadAdmin(ReadOnlyAdmin):
    list_display = ["attempt", "slot", "original_name", "size", "uploaded_at"]
    raw_id_fields = ["attempt"]


@admin.register(AttemptEvent)
class AttemptEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "round", "registration", "kind", "reason", "device_id"]
    list_filter = ["kind"]
    raw_id_fields = ["round", "registration", "attempt"]


@admin.register(RoundClockLease)
class RoundClockLeaseAdmin(ReadOnlyAdmin):
    list_display = ["name", "holder", "expires_at", "last_tick_at"]


# --- Judging: every change goes through contest.services.judging / keyfixes / signoff (audited).
@admin.register(RoundJudging, Rubric, Mark, ScoreAdjustment, KeyFix, SignOff, Appeal, AppealRecommendation)
class JudgingRecordAdmin(ReadOnlyAdmin):
    pass


# --- Results out: tokens are created and revoked on the user's own tokens page, certificates by
# the certificates export (contest.services.exports); both read-only here.
@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    exclude = ["token_hash"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["serial", "edition", "registration", "team", "level", "issued_at"]
    list_filter = ["edition", "level"]
    raw_id_fields = ["registration", "team"]


# --- Scores and boards: changed only through contest.services.scoring (audited).
@admin.register(RoundBoard)
class RoundBoardAdmin(ReadOnlyAdmin):
    list_display = ["round", "visibility", "freeze_minutes", "weight", "prediction_truth", "reveal_step"]
    list_filter = ["visibility"]
    exclude = ["public_token"]


@admin.register(EditionScoring, PrizeDecision)
class ScoringRecordAdmin(ReadOnlyAdmin):
    pass
