"""The judging board's records: per-round judging settings, rubrics, marks, adjustments, key
fixes, sign-offs and appeals.

Everything a judge decides is a new row, never an edit: a later mark by the same judge
supersedes the earlier one, a later adjustment of the same question supersedes the earlier one,
a later key fix of the same question version supersedes the earlier one. So every number can be
traced to who decided it, when and why. The effective scores these rows produce are written to
``Attempt.score`` / ``pending_count`` / ``max_score`` by ``contest.services.judging`` in the
same transaction, because rankings are recomputed from attempts.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contest.marking import PanelMethod, SettleMethod

from .attempts import Attempt
from .people import Registration
from .rounds import Round


class RoundJudging(models.Model):
    """How one round is judged, signed off and shown to contestants. Created on first use."""

    class Review(models.TextChoices):
        SHEET_WITH_KEY = "sheet_with_key", _("Bài làm, đáp án và điểm từng câu")
        SHEET = "sheet", _("Bài làm và điểm từng câu, không có đáp án")
        SCORE_ONLY = "score_only", _("Chỉ tổng điểm")
        NOTHING = "nothing", _("Không cho xem")

    round = models.OneToOneField(
        Round, verbose_name=_("vòng thi"), on_delete=models.CASCADE, related_name="judging"
    )
    required_signers = models.PositiveSmallIntegerField(
        _("số giám khảo phải ký"), default=3, help_text=_("Kể cả trưởng ban giám khảo.")
    )
    head_judge_must_sign = models.BooleanField(_("trưởng ban giám khảo phải ký"), default=True)
    discrepancy_threshold = models.DecimalField(
        _("chênh lệch tối đa giữa hai giám khảo"), max_digits=6, decimal_places=2, default=1
    )
    settle_method = models.CharField(
        _("cách giám khảo thứ ba phân xử"),
        max_length=20,
        choices=[
            (SettleMethod.THIRD_DECIDES.value, _("Điểm của giám khảo thứ ba")),
            (SettleMethod.MEAN_WITH_CLOSEST.value, _("Trung bình với điểm gần nhất")),
        ],
        default=SettleMethod.THIRD_DECIDES.value,
    )
    panel_method = models.CharField(
        _("cách tổng hợp điểm hội đồng"),
        max_length=14,
        choices=[
            (PanelMethod.MEAN.value, _("Trung bình")),
            (PanelMethod.MEDIAN.value, _("Trung vị")),
            (PanelMethod.TRIMMED_MEAN.value, _("Trung bình sau khi bỏ điểm cao nhất và thấp nhất")),
        ],
        default=PanelMethod.MEAN.value,
    )
    review = models.CharField(
        _("thí sinh được xem sau khi công bố"),
        max_length=16,
        choices=Review.choices,
        default=Review.SHEET_WITH_KEY,
    )
    appeal_hours = models.PositiveIntegerField(_("thời hạn khiếu nại (giờ sau khi công bố)"), default=48)
    locked_at = models.DateTimeField(_("khoá kết quả lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("cài đặt chấm thi")
        verbose_name_plural = _("cài đặt chấm thi")

    def __str__(self):
        return str(self.round)


class Rubric(models.Model):
    """How a manually marked question of a round is marked: criteria and who marks it."""

    class Mode(models.TextChoices):
        SINGLE = "single", _("Một giám khảo")
        DOUBLE = "double", _("Hai giám khảo chấm độc lập")
        PANEL = "panel", _("Hội đồng giám khảo")

    round = models.ForeignKey(
        Round, verbose_name=_("vòng thi"), on_delete=models.CASCADE, related_name="rubrics"
    )
    question_id = models.BigIntegerField(_("mã câu hỏi"))
    # [{"id": "c1", "label": "Nội dung", "max": "4.00"}, ...]
    criteria = models.JSONField(_("tiêu chí chấm"), default=list)
    mode = models.CharField(_("cách chấm"), max_length=8, choices=Mode.choices, default=Mode.SINGLE)
    panel_size = models.PositiveSmallIntegerField(_("số giám khảo của hội đồng"), default=3)
    updated_at = models.DateTimeField(_("cập nhật lúc"))

    class Meta:
        verbose_name = _("thang điểm")
        verbose_name_plural = _("các thang điểm")
        constraints = [
            models.UniqueConstraint(fields=["round", "question_id"], name="rubric_once_per_question")
        ]

    def __str__(self):
        return f"{self.round_id}/{self.question_id}"


class Mark(models.Model):
    """One judge's mark of one answer. Append-only: the judge's latest mark counts."""

    attempt = models.ForeignKey(
        Attempt, verbose_name=_("lượt làm bài"), on_delete=models.CASCADE, related_name="marks"
    )
    slot = models.PositiveSmallIntegerField(_("vị trí câu hỏi"))
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("giám khảo"), on_delete=models.PROTECT, related_name="+"
    )
    criteria = models.JSONField(_("điểm từng tiêu chí"), default=dict)
    total = models.DecimalField(_("điểm"), max_digits=9, decimal_places=2)
    comment = models.TextField(_("nhận xét"), blank=True)
    created_at = models.DateTimeField(_("chấm lúc"))

    class Meta:
        verbose_name = _("điểm chấm tay")
        verbose_name_plural = _("các điểm chấm tay")
        ordering = ["attempt_id", "slot", "created_at", "id"]
        indexes = [models.Index(fields=["attempt", "slot"], name="mark_attempt_slot")]

    def __str__(self):
        return f"{self.attempt_id}/{self.slot}: {self.total}"


class ScoreAdjustment(models.Model):
    """A judge's change of one question's score (``slot`` set) or of an attempt's total
    (``slot`` empty: the difference new − old is added to the computed total). Append-only."""

    attempt = models.ForeignKey(
        Attempt, verbose_name=_("lượt làm bài"), on_delete=models.CASCADE, related_name="adjustments"
    )
    slot = models.PositiveSmallIntegerField(_("vị trí câu hỏi"), null=True, blank=True)
    old_points = models.DecimalField(_("điểm cũ"), max_digits=9, decimal_places=2)
    new_points = models.DecimalField(_("điểm mới"), max_digits=9, decimal_places=2)
    reason = models.TextField(_("lý do"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người điều chỉnh"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    appeal = models.ForeignKey(
        "Appeal",
        verbose_name=_("khiếu nại"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("điều chỉnh lúc"))

    class Meta:
        verbose_name = _("điều chỉnh điểm")
        verbose_name_plural = _("các điều chỉnh điểm")
        ordering = ["attempt_id", "created_at", "id"]

    def __str__(self):
        return f"{self.attempt_id}/{self.slot}: {self.old_points} → {self.new_points}"


class KeyFix(models.Model):
    """A correction of a question's key in one round. Append-only: the latest per version counts."""

    class Kind(models.TextChoices):
        CORRECT = "correct", _("Sửa đáp án")
        ACCEPT = "accept", _("Chấp nhận nhiều đáp án")
        VOID = "void", _("Huỷ câu hỏi")
        RESTORE = "restore", _("Khôi phục đáp án gốc")

    round = models.ForeignKey(
        Round, verbose_name=_("vòng thi"), on_delete=models.CASCADE, related_name="key_fixes"
    )
    question_id = models.BigIntegerField(_("mã câu hỏi"))
    version_id = models.BigIntegerField(_("mã phiên bản câu hỏi"))
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices)
    # The full definition to grade with (correct/accept); empty for void and restore.
    definition = models.JSONField(_("định nghĩa dùng để chấm"), null=True, blank=True)
    key = models.JSONField(_("đáp án đúng"), default=list, blank=True)
    reason = models.TextField(_("lý do"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người sửa"), on_delete=models.PROTECT, related_name="+"
    )
    appeal = models.ForeignKey(
        "Appeal",
        verbose_name=_("khiếu nại"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sửa lúc"))

    class Meta:
        verbose_name = _("sửa đáp án")
        verbose_name_plural = _("các lần sửa đáp án")
        ordering = ["round_id", "created_at", "id"]

    def __str__(self):
        return f"{self.round_id}/{self.version_id}: {self.kind}"


class SignOff(models.Model):
    """A judge's signature under a round's results."""

    round = models.ForeignKey(
        Round, verbose_name=_("vòng thi"), on_delete=models.CASCADE, related_name="sign_offs"
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("giám khảo"), on_delete=models.PROTECT, related_name="+"
    )
    is_head_judge = models.BooleanField(_("trưởng ban giám khảo"), default=False)
    signed_at = models.DateTimeField(_("ký lúc"))

    class Meta:
        verbose_name = _("chữ ký xác nhận kết quả")
        verbose_name_plural = _("các chữ ký xác nhận kết quả")
        constraints = [models.UniqueConstraint(fields=["round", "judge"], name="sign_off_once_per_judge")]
        ordering = ["signed_at", "id"]

    def __str__(self):
        return f"{self.round_id}: {self.judge_id}"


class Appeal(models.Model):
    """A contestant's khiếu nại about one question's scoring after publication."""

    class State(models.TextChoices):
        OPEN = "open", _("Đang xem xét")
        ACCEPTED = "accepted", _("Chấp nhận")
        REJECTED = "rejected", _("Không chấp nhận")

    attempt = models.ForeignKey(
        Attempt, verbose_name=_("lượt làm bài"), on_delete=models.CASCADE, related_name="appeals"
    )
    registration = models.ForeignKey(
        Registration, verbose_name=_("thí sinh"), on_delete=models.CASCADE, related_name="appeals"
    )
    slot = models.PositiveSmallIntegerField(_("vị trí câu hỏi"))
    reason = models.TextField(_("nội dung khiếu nại"))
    submitted_at = models.DateTimeField(_("gửi lúc"))
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.OPEN)
    answer = models.TextField(_("trả lời của trưởng ban giám khảo"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người quyết định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("khiếu nại")
        verbose_name_plural = _("các khiếu nại")
        ordering = ["submitted_at", "id"]

    def __str__(self):
        return f"{self.attempt_id}/{self.slot}: {self.state}"


class AppealRecommendation(models.Model):
    """A judge's recommendation on an appeal, for the head judge to decide."""

    appeal = models.ForeignKey(
        Appeal, verbose_name=_("khiếu nại"), on_delete=models.CASCADE, related_name="recommendations"
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("giám khảo"), on_delete=models.PROTECT, related_name="+"
    )
    accept = models.BooleanField(_("đề nghị chấp nhận"))
    text = models.TextField(_("ý kiến"))
    created_at = models.DateTimeField(_("lúc"))

    class Meta:
        verbose_name = _("ý kiến về khiếu nại")
        verbose_name_plural = _("các ý kiến về khiếu nại")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.appeal_id}: {self.accept}"
