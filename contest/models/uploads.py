"""Files that contestants upload as answers to practical ("file") questions.

An upload is stored first (over HTTP, multipart) and only becomes an answer when the
contestant's socket sends ``{"upload_id": n}`` for the slot, so the answer itself follows the
usual path (acknowledged after commit, stale edits detected). Rows are never edited; a new
file for the same slot is a new row, and the answer revisions say which one counts.
"""

import posixpath

from django.db import models
from django.utils.translation import gettext_lazy as _

from .attempts import Attempt


def answer_file_path(instance: "AnswerUpload", filename: str) -> str:
    """Grouped per round and attempt so a round's files can be found (and removed) together;
    the stored name is the content hash, never the contestant's own file name."""
    extension = posixpath.splitext(filename)[1].lower()
    return f"answer-files/{instance.attempt.round_id}/{instance.attempt_id}/{instance.sha256}{extension}"


class AnswerUpload(models.Model):
    attempt = models.ForeignKey(
        Attempt, verbose_name=_("lượt làm bài"), on_delete=models.CASCADE, related_name="uploads"
    )
    slot = models.PositiveSmallIntegerField(_("vị trí câu hỏi"))
    file = models.FileField(_("tệp"), upload_to=answer_file_path, max_length=255)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    content_type = models.CharField(_("kiểu nội dung"), max_length=100)
    uploaded_at = models.DateTimeField(_("tải lên lúc (máy chủ)"))

    class Meta:
        verbose_name = _("tệp bài làm")
        verbose_name_plural = _("các tệp bài làm")
        indexes = [models.Index(fields=["attempt", "slot"], name="answer_upload_attempt_slot")]
        ordering = ["attempt_id", "slot", "id"]

    def __str__(self):
        return f"{self.attempt_id}/{self.slot} {self.original_name}"

    @property
    def extension(self) -> str:
        """The file's extension, lower case with its dot (the edition archive names media by
        hash + extension)."""
        return posixpath.splitext(self.original_name)[1].lower()
