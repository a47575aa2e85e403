"""Rounds and the round clock's lease.

A round's state and timing are rows: broadcasts are only hints, and every deadline can be
recomputed from these fields by :mod:`contest.timing`. ``state`` changes only through
``contest.services.rounds`` with a compare-and-swap on ``state`` and ``state_version``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contest import states

from .editions import Edition, Unit
from .people import Registration, Team


def default_grace_seconds() -> float:
    """Read when a round is created, never at import time."""
    return float(settings.HOITHI["ANSWER_GRACE_SECONDS"])


class Round(models.Model):
    """A timed test (exam mode) or a host-paced stage round (live mode) of one edition."""

    class Mode(models.TextChoices):
        EXAM = "exam", _("Thi trắc nghiệm (cả đề)")
        LIVE = "live", _("Thi trực tiếp (từng câu trên màn chiếu)")

    class State(models.TextChoices):
        DRAFT = states.DRAFT, _("Nháp")
        SCHEDULED = states.SCHEDULED, _("Đã lên lịch")
        OPEN = states.OPEN, _("Đang thi")
        PAUSED = states.PAUSED, _("Tạm dừng")
        CLOSED = states.CLOSED, _("Đã kết thúc")

    class Timing(models.TextChoices):
        PERSONAL = "personal", _("Mỗi thí sinh tính giờ từ lúc vào thi")
        SYNCHRONOUS = "synchronous", _("Tất cả bắt đầu cùng lúc")

    class LateEntry(models.TextChoices):
        NONE = "none", _("Không cho vào muộn")
        REMAINING = "remaining", _("Cho vào muộn trong N phút, chỉ còn thời gian còn lại")
        FULL = "full", _("Cho vào đến khi đóng cửa, đủ thời gian làm bài")

    class Counts(models.TextChoices):
        BEST = "best", _("Lần cao điểm nhất")
        LAST = "last", _("Lần nộp sau cùng")

    class QuestionState(models.TextChoices):
        PENDING = states.Q_PENDING, _("Chờ mở câu hỏi")
        OPEN = states.Q_OPEN, _("Đang trả lời")
        CLOSED = states.Q_CLOSED, _("Hết giờ")
        REVEALED = states.Q_REVEALED, _("Đã công bố đáp án")
        LEADERBOARD = states.Q_LEADERBOARD, _("Bảng xếp hạng")

    class LiveScoring(models.TextChoices):
        FIXED = "fixed", _("Điểm cố định")
        SPEED = "speed", _("Điểm theo tốc độ (50–100 %)")

    class LiveTeamPlay(models.TextChoices):
        INDIVIDUAL = "individual", _("Cá nhân")
        CAPTAIN = "captain", _("Đội trưởng trả lời cho cả đội")
        MEAN = "mean", _("Trung bình các thành viên")

    edition = models.ForeignKey(
        Edition, verbose_name=_("kỳ hội thi"), on_delete=models.CASCADE, related_name="rounds"
    )
    slug = models.SlugField(_("mã vòng thi"), max_length=60)
    name = models.CharField(_("tên vòng thi"), max_length=200)
    mode = models.CharField(_("hình thức"), max_length=10, choices=Mode.choices, default=Mode.EXAM)
    paper = models.ForeignKey(
        "quizzes.Paper",
        verbose_name=_("đề thi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rounds",
    )
    is_practice = models.BooleanField(
        _("vòng thi thử"),
        default=False,
        help_text=_("Không tính vào xếp hạng, không xuất kết quả; có thể làm lại."),
    )

    # Who may enter: everyone registered in the edition when all three lists are empty.
    entry_units = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị được dự thi"), blank=True, related_name="+"
    )
    entry_teams = models.ManyToManyField(
        Team, verbose_name=_("đội được dự thi"), blank=True, related_name="+"
    )
    entry_registrations = models.ManyToManyField(
        Registration, verbose_name=_("thí sinh được dự thi"), blank=True, related_name="+"
    )
    access_code = models.CharField(_("mã vào phòng thi"), max_length=30, blank=True)

    # Window and timing.
    opens_at = models.DateTimeField(_("mở lúc"), null=True, blank=True)
    closes_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    timing = models.CharField(
        _("cách tính giờ"), max_length=12, choices=Timing.choices, default=Timing.PERSONAL
    )
    duration_seconds = models.PositiveIntegerField(
        _("thời gian làm bài (giây)"), null=True, blank=True, help_text=_("Để trống: làm đến khi đóng cửa.")
    )
    late_entry = models.CharField(
        _("vào muộn"), max_length=10, choices=LateEntry.choices, default=LateEntry.FULL
    )
    late_entry_minutes = models.PositiveIntegerField(_("số phút được vào muộn"), default=0)
    attempts_allowed = models.PositiveSmallIntegerField(_("số lần làm bài"), default=1)
    counts = models.CharField(_("lần được tính"), max_length=4, choices=Counts.choices, default=Counts.BEST)
    grace_seconds = models.FloatField(_("thời gian ân hạn (giây)"), default=default_grace_seconds)

    # Lifecycle, written only by contest.services.rounds (compare-and-swap on state_version).
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.DRAFT)
    state_version = models.PositiveIntegerField(_("phiên bản trạng thái"), default=0)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng lúc"), null=True, blank=True)
    paused_seconds = models.FloatField(_("tổng thời gian tạm dừng (giây)"), default=0)
    extension_seconds = models.IntegerField(_("gia hạn chung (giây)"), default=0)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    papers_built_at = models.DateTimeField(_("đã tạo đề lúc"), null=True, blank=True)

    # Live mode (host-paced). Question index refers to the order of the paper snapshot.
    live_scoring = models.CharField(
        _("cách tính điểm trực tiếp"), max_length=10, choices=LiveScoring.choices, default=LiveScoring.FIXED
    )
    live_streak_bonus = models.BooleanField(_("thưởng chuỗi trả lời đúng"), default=False)
    live_team_play = models.CharField(
        _("thi theo đội"), max_length=12, choices=LiveTeamPlay.choices, default=LiveTeamPlay.INDIVIDUAL
    )
    live_question_seconds = models.PositiveIntegerField(_("thời gian mỗi câu mặc định (giây)"), default=30)
    live_question_index = models.IntegerField(_("câu hỏi hiện tại"), null=True, blank=True)
    live_question_state = models.CharField(
        _("trạng thái câu hỏi"), max_length=12, choices=QuestionState.choices, blank=True
    )
    live_question_opened_at = models.DateTimeField(_("câu hỏi mở lúc"), null=True, blank=True)
    live_question_deadline = models.DateTimeField(_("câu hỏi hết giờ lúc"), null=True, blank=True)

    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("vòng thi")
        verbose_name_plural = _("các vòng thi")
        constraints = [
            models.UniqueConstraint(fields=["edition", "slug"], name="round_slug_unique_in_edition")
        ]
        indexes = [models.Index(fields=["state", "opens_at"], name="round_state_opens")]
        ordering = ["opens_at", "id"]

    def __str__(self):
        return self.name


class RoundClockLease(models.Model):
    """Which process runs the round clock. One row per clock name; a holder renews it every
    tick, and a standby takes it over only once it has expired."""

    name = models.CharField(_("tên"), max_length=40, unique=True)
    holder = models.CharField(_("tiến trình giữ"), max_length=120, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    last_tick_at = models.DateTimeField(_("lần chạy gần nhất"), null=True, blank=True)

    class Meta:
        verbose_name = _("quyền chạy đồng hồ vòng thi")
        verbose_name_plural = _("quyền chạy đồng hồ vòng thi")

    def __str__(self):
        return f"{self.name}: {self.holder}"
