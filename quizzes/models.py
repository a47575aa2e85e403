"""Question banks: banks, categories, tags, questions with immutable versions, media, papers.

A question's content lives in :class:`QuestionVersion` rows. A version that a started round
has handed out is never edited again: editing then creates a new version, and attempts keep
the version they were given. ``definition`` holds the type-specific data whose shape
``quizzes.question_types`` documents and validates.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Một lựa chọn")
    MULTIPLE = "multiple", _("Nhiều lựa chọn")
    TRUE_FALSE = "truefalse", _("Đúng/Sai")
    SHORT = "short", _("Trả lời ngắn")
    NUMERIC = "numeric", _("Số")
    ORDERING = "ordering", _("Sắp xếp thứ tự")
    MATCHING = "matching", _("Ghép cặp")
    ESSAY = "essay", _("Tự luận")
    FILE = "file", _("Bài thực hành (nộp tệp)")
    DESCRIPTION = "description", _("Đoạn mô tả (không trả lời)")


class Bank(models.Model):
    """A question bank, belonging to an edition or shared between editions (edition empty)."""

    edition = models.ForeignKey(
        "contest.Edition",
        verbose_name=_("kỳ hội thi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="banks",
    )
    name = models.CharField(_("tên ngân hàng"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ngân hàng câu hỏi")
        verbose_name_plural = _("các ngân hàng câu hỏi")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "name"],
                name="bank_name_unique_in_edition",
                condition=models.Q(edition__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["name"],
                name="shared_bank_name_unique",
                condition=models.Q(edition__isnull=True),
            ),
        ]
        ordering = ["name"]

    def __str__(self):
        return self.name


class Category(models.Model):
    """A node of a bank's category tree (e.g. "IU03 / Định dạng văn bản")."""

    bank = models.ForeignKey(
        Bank, verbose_name=_("ngân hàng"), on_delete=models.CASCADE, related_name="categories"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("danh mục cha"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    name = models.CharField(_("tên danh mục"), max_length=200)

    class Meta:
        verbose_name = _("danh mục")
        verbose_name_plural = _("các danh mục")
        constraints = [
            models.UniqueConstraint(fields=["bank", "parent", "name"], name="category_name_unique_in_parent"),
            # NULLs are distinct in a unique index, so top-level names need their own rule.
            models.UniqueConstraint(
                fields=["bank", "name"],
                condition=models.Q(parent__isnull=True),
                name="root_category_name_unique",
            ),
        ]
        ordering = ["name"]

    def __str__(self):
        return self.name


class Tag(models.Model):
    """A tag: an IT-skills module (IU01–IU06), a difficulty, or a free tag."""

    class Kind(models.TextChoices):
        MODULE = "module", _("Mô-đun kỹ năng")
        DIFFICULTY = "difficulty", _("Độ khó")
        FREE = "free", _("Nhãn tự do")

    name = models.CharField(_("tên nhãn"), max_length=80, unique=True)
    kind = models.CharField(_("loại nhãn"), max_length=20, choices=Kind.choices, default=Kind.FREE)

    class Meta:
        verbose_name = _("nhãn")
        verbose_name_plural = _("các nhãn")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class Question(models.Model):
    """A question's identity in a bank; its content is in its versions."""

    bank = models.ForeignKey(
        Bank, verbose_name=_("ngân hàng"), on_delete=models.PROTECT, related_name="questions"
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("danh mục"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("nhãn"), blank=True, related_name="questions")
    qtype = models.CharField(_("loại câu hỏi"), max_length=20, choices=QuestionType.choices)
    idnumber = models.CharField(_("mã câu hỏi"), max_length=100, blank=True)
    current_version = models.ForeignKey(
        "QuestionVersion",
        verbose_name=_("phiên bản hiện hành"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Accent- and case-folded copies of the current stem, for search and duplicate detection.
    search_text = models.TextField(_("văn bản tìm kiếm"), blank=True, editable=False)
    stem_fingerprint = models.CharField(
        _("dấu vân tay đề"), max_length=64, blank=True, db_index=True, editable=False
    )
    is_archived = models.BooleanField(_("đã lưu trữ"), default=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("các câu hỏi")
        ordering = ["id"]

    def __str__(self):
        version = self.current_version
        return version.name if version else f"#{self.pk}"


class QuestionVersion(models.Model):
    """Immutable content of a question once a round has used it."""

    question = models.ForeignKey(
        Question, verbose_name=_("câu hỏi"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("phiên bản số"))
    qtype = models.CharField(_("loại câu hỏi"), max_length=20, choices=QuestionType.choices)
    name = models.CharField(_("tên ngắn"), max_length=255)
    stem_html = models.TextField(_("nội dung câu hỏi (HTML đã làm sạch)"))
    definition = models.JSONField(_("định nghĩa theo loại"), default=dict)
    general_feedback_html = models.TextField(_("giải thích chung"), blank=True)
    default_points = models.DecimalField(
        _("điểm mặc định"), max_digits=7, decimal_places=2, default=Decimal("1")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    # Set when a started round hands this version out; from then on it is never edited, and
    # editing the question creates a new version instead.
    frozen_at = models.DateTimeField(_("khóa lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phiên bản câu hỏi")
        verbose_name_plural = _("các phiên bản câu hỏi")
        constraints = [models.UniqueConstraint(fields=["question", "number"], name="version_number_unique")]
        ordering = ["question_id", "number"]

    def __str__(self):
        return f"{self.name} (v{self.number})"


def media_upload_to(instance, filename):
    return f"question-media/{instance.bank_id}/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class QuestionMedia(models.Model):
    """An image used in a stem or option, stored through Django's storage API.

    Served only through an authorised view (``quizzes.views.media``), never as public media.
    """

    bank = models.ForeignKey(
        Bank, verbose_name=_("ngân hàng"), on_delete=models.CASCADE, related_name="media"
    )
    file = models.FileField(_("tệp"), upload_to=media_upload_to)
    content_type = models.CharField(_("kiểu nội dung"), max_length=60)
    size = models.PositiveIntegerField(_("kích thước (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("hình ảnh câu hỏi")
        verbose_name_plural = _("các hình ảnh câu hỏi")
        constraints = [models.UniqueConstraint(fields=["bank", "sha256"], name="media_unique_in_bank")]

    def __str__(self):
        return self.original_name or self.sha256[:12]

    @property
    def extension(self) -> str:
        return {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp"}.get(
            self.content_type, ".bin"
        )


class Paper(models.Model):
    """What a round hands out: a fixed list of questions, or a blueprint of draw rules.

    Each contestant's concrete paper (question versions, order, option order, seed) is built
    from this by ``quizzes.papers`` and stored on their attempt.
    """

    class Kind(models.TextChoices):
        FIXED = "fixed", _("Đề cố định")
        BLUEPRINT = "blueprint", _("Rút ngẫu nhiên theo ma trận")

    edition = models.ForeignKey(
        "contest.Edition", verbose_name=_("kỳ hội thi"), on_delete=models.CASCADE, related_name="papers"
    )
    name = models.CharField(_("tên đề"), max_length=200)
    kind = models.CharField(_("loại đề"), max_length=20, choices=Kind.choices, default=Kind.FIXED)
    shuffle_questions = models.BooleanField(_("đảo thứ tự câu hỏi"), default=True)
    shuffle_options = models.BooleanField(_("đảo thứ tự phương án"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đề thi")
        verbose_name_plural = _("các đề thi")
        constraints = [
            models.UniqueConstraint(fields=["edition", "name"], name="paper_name_unique_in_edition")
        ]

    def __str__(self):
        return self.name


class PaperItem(models.Model):
    """One question of a fixed paper."""

    paper = models.ForeignKey(Paper, verbose_name=_("đề thi"), on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(
        Question, verbose_name=_("câu hỏi"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField(_("thứ tự"))
    points = models.DecimalField(_("điểm"), max_digits=7, decimal_places=2, null=True, blank=True)
    time_limit_seconds = models.PositiveIntegerField(
        _("thời gian (giây, vòng trực tiếp)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("câu hỏi trong đề")
        verbose_name_plural = _("các câu hỏi trong đề")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["paper", "question"], name="question_once_per_paper"),
        ]

    def __str__(self):
        return f"{self.paper} #{self.position}"


class BlueprintRule(models.Model):
    """Draw ``count`` questions matching a category, tags and a difficulty."""

    paper = models.ForeignKey(Paper, verbose_name=_("đề thi"), on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveIntegerField(_("thứ tự"))
    bank = models.ForeignKey(Bank, verbose_name=_("ngân hàng"), on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        Category,
        verbose_name=_("danh mục"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    include_subcategories = models.BooleanField(_("gồm danh mục con"), default=True)
    tags = models.ManyToManyField(Tag, verbose_name=_("có đủ các nhãn"), blank=True, related_name="+")
    count = models.PositiveIntegerField(_("số câu"))
    points = models.DecimalField(_("điểm mỗi câu"), max_digits=7, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("quy tắc rút câu hỏi")
        verbose_name_plural = _("các quy tắc rút câu hỏi")
        ordering = ["position"]

    def __str__(self):
        return f"{self.paper} #{self.position}: {self.count}"
