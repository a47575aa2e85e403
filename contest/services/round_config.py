"""Creating and editing a round's configuration (not its lifecycle: see ``services.rounds``).

Configuration is editable only while a round is a draft or scheduled: once contestants have
papers and deadlines, changing the paper or the timing under them would make their attempts
unexplainable. Running rounds are adjusted through the control actions (extend, pause), which
are audited one by one.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contest import audit, permissions, states
from contest.models import Round

# Fields an organiser sets in the configuration form; everything else is lifecycle state.
CONFIG_FIELDS = (
    "name",
    "slug",
    "mode",
    "paper",
    "is_practice",
    "access_code",
    "opens_at",
    "closes_at",
    "timing",
    "duration_seconds",
    "late_entry",
    "late_entry_minutes",
    "attempts_allowed",
    "counts",
    "grace_seconds",
    "live_scoring",
    "live_streak_bonus",
    "live_team_play",
    "live_question_seconds",
)
EDITABLE_STATES = (states.DRAFT, states.SCHEDULED)
MAX_GRACE_SECONDS = 60


@dataclass(frozen=True)
class Entry:
    """Who may enter: empty lists together mean every registered contestant of the edition."""

    units: tuple = ()
    teams: tuple = ()
    registrations: tuple = ()


def check_round_config(values: dict) -> dict[str, list[str]]:
    """Rules across fields, as {field: [errors]} (``"__all__"`` for the whole form). Pure."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    opens_at, closes_at = values.get("opens_at"), values.get("closes_at")
    if opens_at and closes_at and closes_at <= opens_at:
        add("closes_at", _("Giờ đóng phải sau giờ mở."))
    duration = values.get("duration_seconds")
    if duration is not None and duration <= 0:
        add("duration_seconds", _("Thời gian làm bài phải lớn hơn 0."))
    if values.get("mode") == Round.Mode.EXAM:
        if values.get("timing") == Round.Timing.SYNCHRONOUS and not duration and not closes_at:
            add("duration_seconds", _("Thi đồng loạt cần thời gian làm bài hoặc giờ đóng cửa."))
        if not duration and not closes_at:
            add(
                "duration_seconds",
                _("Cần thời gian làm bài hoặc giờ đóng cửa, nếu không bài thi không bao giờ hết giờ."),
            )
    if values.get("late_entry") == Round.LateEntry.REMAINING and not values.get("late_entry_minutes"):
        add("late_entry_minutes", _("Cho vào muộn có giới hạn cần số phút lớn hơn 0."))
    if (values.get("attempts_allowed") or 0) < 1:
        add("attempts_allowed", _("Số lần làm bài ít nhất là 1."))
    seconds = values.get("live_question_seconds")
    if values.get("mode") == Round.Mode.LIVE and seconds is not None and not 5 <= seconds <= 600:
        add("live_question_seconds", _("Thời gian mỗi câu từ 5 đến 600 giây."))
    grace = values.get("grace_seconds")
    if grace is not None and not 0 <= grace <= MAX_GRACE_SECONDS:
        add("grace_seconds", _("Thời gian ân hạn từ 0 đến %(n)d giây.") % {"n": MAX_GRACE_SECONDS})
    return errors


def _check_scope(edition, values: dict, entry: Entry) -> None:
    """Everything a round refers to must belong to its edition (a tampered form cannot reach
    another edition's paper or people)."""
    paper = values.get("paper")
    if paper is not None and paper.edition_id != edition.pk:
        raise ValidationError({"paper": _("Đề thi không thuộc kỳ hội thi này.")})
    for field, items in (
        ("entry_units", entry.units),
        ("entry_teams", entry.teams),
        ("entry_registrations", entry.registrations),
    ):
        if any(item.edition_id != edition.pk for item in items):
            raise ValidationError({field: _("Danh sách dự thi có mục không thuộc kỳ hội thi này.")})


def _snapshot(round_: Round) -> dict:
    """The audited view of a round's configuration: ids and plain values only."""
    data = {}
    for name in CONFIG_FIELDS:
        value = getattr(round_, f"{name}_id" if name == "paper" else name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    data["entry_units"] = sorted(round_.entry_units.values_list("pk", flat=True))
    data["entry_teams"] = sorted(round_.entry_teams.values_list("pk", flat=True))
    data["entry_registrations"] = sorted(round_.entry_registrations.values_list("pk", flat=True))
    return data


def _apply(round_: Round, values: dict, entry: Entry) -> None:
    for name in CONFIG_FIELDS:
        if name in values:
            setattr(round_, name, values[name])
    round_.save()
    round_.entry_units.set(entry.units)
    round_.entry_teams.set(entry.teams)
    round_.entry_registrations.set(entry.registrations)


def _validate(edition, values: dict, entry: Entry) -> None:
    errors = check_round_config(values)
    if errors:
        raise ValidationError(errors)
    _check_scope(edition, values, entry)


def create_round(*, actor, edition, values: dict, entry: Entry, ip=None, now=None) -> Round:
    """Create a draft round. Opens a transaction; audited as ``round.created``; no events
    (nobody is connected to a round that did not exist)."""
    now = now or timezone.now()
    _validate(edition, values, entry)
    if Round.objects.filter(edition=edition, slug=values["slug"]).exists():
        raise ValidationError({"slug": _("Mã vòng thi đã được dùng trong kỳ này.")})
    with transaction.atomic():
        round_ = Round(edition=edition, state=states.DRAFT)
        _apply(round_, values, entry)
        audit.record(
            action="round.created",
            actor=actor,
            actor_role=permissions.actor_role(actor, edition),
            edition=edition,
            obj=round_,
            after=_snapshot(round_),
            ip=ip,
            now=now,
        )
    return round_


def update_round(*, actor, round_: Round, values: dict, entry: Entry, ip=None, now=None) -> Round:
    """Change a draft or scheduled round's configuration. Opens a transaction and locks the
    row, so a concurrent start cannot slip between the state check and the write; audited as
    ``round.updated`` with before and after."""
    now = now or timezone.now()
    edition = round_.edition
    _validate(edition, values, entry)
    if Round.objects.filter(edition=edition, slug=values["slug"]).exclude(pk=round_.pk).exists():
        raise ValidationError({"slug": _("Mã vòng thi đã được dùng trong kỳ này.")})
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.state not in EDITABLE_STATES:
            raise ValidationError(
                _(
                    "Vòng thi đã bắt đầu hoặc đã kết thúc: không sửa được cấu hình. Hãy dùng bảng điều khiển trực tiếp."
                )
            )
        before = _snapshot(locked)
        _apply(locked, values, entry)
        audit.record(
            action="round.updated",
            actor=actor,
            actor_role=permissions.actor_role(actor, edition),
            edition=edition,
            obj=locked,
            before=before,
            after=_snapshot(locked),
            ip=ip,
            now=now,
        )
    return locked
