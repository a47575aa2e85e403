"""The organiser's round configuration form: parsing only.

Cross-field rules live in ``contest.services.round_config.check_round_config`` so that every
caller (this form, an importer, a test) gets the same answer; the form only turns the posted
strings into values (minutes into seconds, local times into aware datetimes) and scopes its
choices to the edition.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from contest.models import Registration, Round, Team, Unit
from contest.services.round_config import CONFIG_FIELDS, Entry
from quizzes.models import Paper


class LocalDateTimeInput(forms.DateTimeInput):
    """A native date-time picker; the value is shown in the site's time zone (Hà Nội)."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class RoundForm(forms.ModelForm):
    # Organisers think in minutes; the model stores seconds so short test rounds are possible.
    duration_minutes = forms.DecimalField(
        label=_("Thời gian làm bài (phút)"),
        required=False,
        min_value=Decimal("0.25"),
        max_digits=7,
        decimal_places=2,
        help_text=_("Để trống: làm đến khi đóng cửa."),
    )

    class Meta:
        model = Round
        fields = [
            "name",
            "slug",
            "mode",
            "paper",
            "is_practice",
            "entry_units",
            "entry_teams",
            "entry_registrations",
            "access_code",
            "opens_at",
            "closes_at",
            "timing",
            "late_entry",
            "late_entry_minutes",
            "attempts_allowed",
            "counts",
            "grace_seconds",
            "live_scoring",
            "live_streak_bonus",
            "live_team_play",
            "live_question_seconds",
        ]
        widgets = {
            "opens_at": LocalDateTimeInput(),
            "closes_at": LocalDateTimeInput(),
            "access_code": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {
            "entry_units": _("Để trống cả ba danh sách: mọi thí sinh của kỳ hội thi."),
            "access_code": _("Không bắt buộc. Thí sinh nhập mã này để vào phòng thi."),
            "grace_seconds": _("Câu trả lời gửi trong khoảng này sau khi hết giờ vẫn được nhận."),
            "live_question_seconds": _("Khi câu hỏi trong đề không ghi thời gian riêng (5–600 giây)."),
        }

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        self.fields["paper"].queryset = Paper.objects.filter(edition=edition).order_by("name")
        self.fields["entry_units"].queryset = Unit.objects.filter(edition=edition).order_by("code")
        self.fields["entry_teams"].queryset = Team.objects.filter(edition=edition).order_by("code")
        self.fields["entry_registrations"].queryset = (
            Registration.objects.filter(edition=edition).select_related("person").order_by("code")
        )
        # The live settings matter only for a live round: an exam form may leave them out.
        for name in ("live_scoring", "live_team_play", "live_question_seconds"):
            self.fields[name].required = False
        if self.instance.pk and self.instance.duration_seconds:
            minutes = (Decimal(self.instance.duration_seconds) / 60).quantize(Decimal("0.01"))
            # Fixed-point text: normalize() alone turns 20.00 into "2E+1" in the form.
            self.initial["duration_minutes"] = f"{minutes.normalize():f}"

    def clean(self):
        cleaned = super().clean()
        minutes = cleaned.get("duration_minutes")
        cleaned["duration_seconds"] = int(minutes * 60) if minutes else None
        for name in ("live_scoring", "live_team_play", "live_question_seconds"):
            if cleaned.get(name) in (None, ""):
                cleaned[name] = getattr(self.instance, name)  # the model's default on a new round
        return cleaned

    def _post_clean(self):
        # The service validates and saves; the ModelForm must not write to the instance.
        pass

    def values(self) -> dict:
        """The configuration values for ``round_config.create_round`` / ``update_round``."""
        return {name: self.cleaned_data.get(name) for name in CONFIG_FIELDS}

    def entry(self) -> Entry:
        data = self.cleaned_data
        return Entry(
            units=tuple(data.get("entry_units") or ()),
            teams=tuple(data.get("entry_teams") or ()),
            registrations=tuple(data.get("entry_registrations") or ()),
        )

    def add_service_errors(self, error) -> None:
        """Show a service's ValidationError next to the fields it names."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                target = "duration_minutes" if field == "duration_seconds" else field
                self.add_error(target if target in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)
