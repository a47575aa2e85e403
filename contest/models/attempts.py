"""Attempts, their append-only answer revisions, and what happened around them.

Judges must be able to rebuild exactly what a contestant saw and did: the attempt stores its
paper snapshot (question versions, question and option order, seed and points), every answer
is a new :class:`AnswerRevision` row with the server's time, and connections, device switches,
focus losses and refused answers are :class:`AttemptEvent` rows. Nothing here is edited by
hand: writes go through ``contest.services.attempts``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from contest import states

from .people import Registration
from .rounds import Round


class Attempt(models.Model):
    class State(models.TextChoices):
        READY = states.READY, _("Đã tạo đề, chưa vào thi")
        IN_PROGRESS = states.IN_PROGRESS, _("Đang làm bài")
        SUBMITTED = states.SUBMITTED, _("Đã nộp bài")

    class SubmitReason(models.TextChoices):
        CONTESTANT = "contestant", _("Thí sinh nộp bài")
        DEADLINE = "deadline", _("Hết giờ")
        ORGANISER = "organiser", _("Ban tổ chức thu bài")
        ROUND_CLOSED = "round_closed", _("Vòng thi kết thúc")

    round = models.ForeignKey(
        Round, verbose_name=_("vòng thi"), on_delete=models.CASCADE, related_name="attempts"
    )
    registration = models.ForeignKey(
        Registration, verbose_name=_("thí sinh"), on_delete=models.PROTECT, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField(_("lần thứ"), default=1)
    state = models.CharField(_("trạng thái"), max_length=12, choices=State.choices, default=State.READY)
    seed = models.BigIntegerField(_("hạt giống ngẫu nhiên"))
    # {"version": 1, "seed": …, "slots": [{"slot", "question_id", "version_id", "qtype",
    #  "points", "option_order", "time_limit"}], "max_score": "…"}; see quizzes.papers.
    paper = models.JSONField(_("bản đề của thí sinh"))
    max_score = models.DecimalField(_("điểm tối đa"), max_digits=9, decimal_places=2, default=0)

    started_at = models.DateTimeField(_("vào thi lúc"), null=True, blank=True)
    deadline = models.DateTimeField(_("hạn nộp bài"), null=True, blank=True, db_index=True)
    extension_seconds = models.IntegerField(_("gia hạn riêng (giây)"), default=0)
    paused_seconds = models.FloatField(_("thời gian tạm dừng trong lượt (giây)"), default=0)
    submitted_at = models.DateTimeField(_("nộp bài lúc"), null=True, blank=True)
    submit_reason = models.CharField(_("lý do nộp"), max_length=14, choices=SubmitReason.choices, blank=True)

    score = models.DecimalField(_("điểm"), max_digits=9, decimal_places=2, default=0)
    pending_count = models.PositiveIntegerField(_("số câu chờ chấm"), default=0)
    answered_count = models.PositiveIntegerField(_("số câu đã trả lời"), default=0)
    flags = models.JSONField(_("câu đánh dấu xem lại"), default=list, blank=True)

    device_id = models.CharField(_("thiết bị hiện tại"), max_length=64, blank=True)
    connection_id = models.CharField(_("kết nối hiện tại"), max_length=64, blank=True)
    device_switches = models.PositiveIntegerField(_("số lần đổi thiết bị"), default=0)
    last_seen_at = models.DateTimeField(_("hoạt động gần nhất"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lượt làm bài")
        verbose_name_plural = _("các lượt làm bài")
        constraints = [
            models.UniqueConstraint(fields=["round", "registration", "number"], name="attempt_number_unique")
        ]
        indexes = [models.Index(fields=["round", "state"], name="attempt_round_state")]
        ordering = ["round_id", "registration_id", "number"]

    def __str__(self):
        return f"{self.registration_id} #{self.number} ({self.round_id})"


class AnswerRevision(models.Model):
    """One saved answer to one slot of an attempt. Never updated or deleted."""

    attempt = models.ForeignKey(
        Attempt, verbose_name=_("lượt làm bài"), on_delete=models.CASCADE, related_name="revisions"
    )
    slot = models.PositiveSmallIntegerField(_("vị trí câu hỏi"))
    revision = models.PositiveIntegerField(_("lần sửa"))
    response = models.JSONField(_("câu trả lời"))
    client_message_id = models.CharField(_("mã tin nhắn của máy thí sinh"), max_length=64)
    received_at = models.DateTimeField(_("máy chủ nhận lúc"))
    fraction = models.FloatField(_("tỷ lệ đúng"), null=True, blank=True)
    points = models.DecimalField(_("điểm"), max_digits=9, decimal_places=2, null=True, blank=True)
    # Live rounds: the share of the points this answer's speed earned (1 under fixed scoring),
    # kept so that a regrade after a key fix still counts it (contest.live_scoring).
    speed_factor = models.DecimalField(
        _("hệ số tốc độ"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    pending = models.BooleanField(_("chờ giám khảo chấm"), default=False)
    device_id = models.CharField(_("thiết bị"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("câu trả lời")
        verbose_name_plural = _("các câu trả lời")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "slot", "revision"], name="answer_revision_unique"),
            models.UniqueConstraint(fields=["attempt", "client_message_id"], name="answer_message_once"),
        ]
        ordering = ["attempt_id", "slot", "revision"]

    def __str__(self):
        return f"{self.attempt_id}/{self.slot} r{self.revision}"


class AttemptEvent(models.Model):
    """Something that happened around an attempt, with the server's time."""

    class Kind(models.TextChoices):
        CONNECT = "connect", _("Kết nối")
        DISCONNECT = "disconnect", _("Mất kết nối")
        DEVICE_SWITCH = "device_switch", _("Đổi thiết bị")
        TAKEOVER = "takeover", _("Kết nối mới thay kết nối cũ")
        FOCUS_LOST = "focus_lost", _("Rời khỏi trang thi")
        FOCUS_BACK = "focus_back", _("Quay lại trang thi")
        REFUSED = "refused", _("Từ chối câu trả lời")
        ENTERED = "entered", _("Vào thi")
        SUBMITTED = "submitted", _("Nộp bài")
        EXTENDED = "extended", _("Gia hạn")

    round = models.ForeignKey(
        Round, verbose_name=_("vòng thi"), on_delete=models.CASCADE, related_name="attempt_events"
    )
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("thí sinh"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    attempt = models.ForeignKey(
        Attempt,
        verbose_name=_("lượt làm bài"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    reason = models.CharField(_("lý do"), max_length=40, blank=True)
    detail = models.JSONField(_("chi tiết"), default=dict, blank=True)
    device_id = models.CharField(_("thiết bị"), max_length=64, blank=True)
    at = models.DateTimeField(_("lúc (máy chủ)"), db_index=True)

    class Meta:
        verbose_name = _("sự kiện làm bài")
        verbose_name_plural = _("các sự kiện làm bài")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%H:%M:%S} {self.kind}"
