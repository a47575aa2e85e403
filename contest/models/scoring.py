"""Scoring settings and decisions: each round's board, an edition's scoring rules, and the
organisers' answers to prize ties.

Rankings themselves are never stored: they are recomputed from attempts (the truth) by
``contest.scoring_selectors`` with the pure rules of ``contest.ranking``, ``contest.team_scores``
and ``contest.prizes``. What is stored here is only what people decide: who may see a board,
when it freezes, the prediction's true value, how far the reveal has gone, and which tied
contestants get a prize. Writes go through ``contest.services.scoring``, which audits them.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from contest.ranking import DEFAULT_CHAIN

from .editions import Edition
from .rounds import Round


def new_board_token() -> str:
    """An unguessable token for the read-only public projector link (192 bits)."""
    return secrets.token_urlsafe(24)


def default_chain() -> list[str]:
    return [step.value for step in DEFAULT_CHAIN]


class RoundBoard(models.Model):
    """How one round is ranked and shown. Created on first use with safe defaults
    (organisers only, no freeze)."""

    class Visibility(models.TextChoices):
        HIDDEN = "hidden", _("Ẩn")
        ORGANISERS = "organisers", _("Chỉ ban tổ chức và giám khảo")
        CONTESTANTS = "contestants", _("Thí sinh của kỳ thi")
        PUBLIC = "public", _("Công khai (có đường dẫn)")

    class TruthSource(models.TextChoices):
        NONE = "", _("Chưa có")
        ORGANISER = "organiser", _("Ban tổ chức nhập")
        COMPUTED = "computed", _("Tính khi kết thúc: số thí sinh đạt điểm tối đa")

    round = models.OneToOneField(
        Round, verbose_name=_("vòng thi"), on_delete=models.CASCADE, related_name="board"
    )
    visibility = models.CharField(
        _("ai được xem bảng điểm"), max_length=12, choices=Visibility.choices, default=Visibility.ORGANISERS
    )
    freeze_minutes = models.PositiveIntegerField(
        _("đóng băng bảng điểm (phút cuối)"),
        default=0,
        help_text=_("Bảng công khai dừng cập nhật N phút trước khi vòng thi kết thúc; 0: không đóng băng."),
    )
    public_token = models.CharField(
        _("mã đường dẫn công khai"), max_length=64, unique=True, default=new_board_token
    )
    tie_break_chain = models.JSONField(_("thứ tự tiêu chí xếp hạng"), default=default_chain)
    weight = models.DecimalField(_("trọng số trong điểm tổng hợp"), max_digits=6, decimal_places=2, default=1)
    prediction_truth = models.DecimalField(
        _("đáp số câu dự đoán"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    truth_source = models.CharField(
        _("nguồn đáp số"), max_length=10, choices=TruthSource.choices, blank=True, default=TruthSource.NONE
    )
    # The public board as it stood when the freeze began: stored once, shown until the reveal.
    frozen_rows = models.JSONField(_("bảng điểm lúc đóng băng"), null=True, blank=True)
    frozen_at = models.DateTimeField(_("đóng băng lúc"), null=True, blank=True)
    reveal_step = models.PositiveIntegerField(_("số dòng đã công bố"), null=True, blank=True)
    scores_published_at = models.DateTimeField(
        _("công bố điểm lúc"),
        null=True,
        blank=True,
        help_text=_("Trước khi công bố, thí sinh và khán giả chỉ thấy tiến độ của vòng thi trắc nghiệm."),
    )

    class Meta:
        verbose_name = _("bảng điểm vòng thi")
        verbose_name_plural = _("các bảng điểm vòng thi")

    def __str__(self):
        return f"{self.round}: {self.get_visibility_display()}"


class EditionScoring(models.Model):
    """An edition's rules for teams, units and prizes. Created on first use with the defaults
    of the contest rules (team sum, unit = participation % + prize points 10/8/6/4)."""

    class TeamMethod(models.TextChoices):
        SUM = "sum", _("Tổng điểm các thành viên")
        MEAN = "mean", _("Điểm trung bình các thành viên")
        BEST_K = "best_k", _("Tổng k thành viên cao điểm nhất")

    edition = models.OneToOneField(
        Edition, verbose_name=_("kỳ hội thi"), on_delete=models.CASCADE, related_name="scoring"
    )
    team_method = models.CharField(
        _("cách tính điểm đội"), max_length=10, choices=TeamMethod.choices, default=TeamMethod.SUM
    )
    team_best_k = models.PositiveSmallIntegerField(_("k (số thành viên tính điểm)"), null=True, blank=True)
    participation_weight = models.DecimalField(
        _("hệ số tỷ lệ tham gia"), max_digits=6, decimal_places=2, default=1
    )
    prize_weight = models.DecimalField(_("hệ số điểm giải thưởng"), max_digits=6, decimal_places=2, default=1)
    # {"first": "10", "second": "8", "third": "6", "consolation": "4"}
    prize_points = models.JSONField(_("điểm cho mỗi mức giải"), default=dict, blank=True)
    # {"first": 1, "second": 2, "third": 3, "consolation": 5}
    individual_quotas = models.JSONField(_("số giải cá nhân"), default=dict, blank=True)
    team_quotas = models.JSONField(_("số giải đồng đội"), default=dict, blank=True)

    class Meta:
        verbose_name = _("cách tính điểm của kỳ thi")
        verbose_name_plural = _("cách tính điểm của các kỳ thi")

    def __str__(self):
        return str(self.edition)


class PrizeDecision(models.Model):
    """The organisers' answer to a tie across a prize quota boundary (append-only: a new
    decision for the same tie replaces the old one by being newer)."""

    class Scope(models.TextChoices):
        INDIVIDUAL = "individual", _("Cá nhân")
        TEAM = "team", _("Đồng đội")

    edition = models.ForeignKey(
        Edition, verbose_name=_("kỳ hội thi"), on_delete=models.CASCADE, related_name="prize_decisions"
    )
    scope = models.CharField(_("loại giải"), max_length=10, choices=Scope.choices)
    level = models.CharField(_("mức giải"), max_length=12)
    tied = models.JSONField(_("các bên đồng hạng"))
    awarded = models.JSONField(_("được trao giải"))
    reason = models.TextField(_("lý do"), blank=True)
    decided_by_id = models.BigIntegerField(_("mã người quyết định"), null=True, blank=True)
    decided_at = models.DateTimeField(_("quyết định lúc"))

    class Meta:
        verbose_name = _("quyết định đồng hạng")
        verbose_name_plural = _("các quyết định đồng hạng")
        ordering = ["decided_at", "id"]

    def __str__(self):
        return f"{self.scope} {self.level}: {self.awarded}"
