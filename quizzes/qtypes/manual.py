"""Types graded by judges (essay, practical file) and description blocks (no answer)."""

from django.utils.translation import gettext as _

from .base import Grade, QuestionTypeStrategy, ResponseError, require_dict, require_text

MAX_ESSAY_CHARS = 50_000
DEFAULT_ACCEPT = [".docx", ".xlsx", ".pptx", ".pdf"]
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


class Essay(QuestionTypeStrategy):
    name = "essay"
    manual = True

    def validate(self, definition):
        low, high = definition.get("min_words"), definition.get("max_words")
        for value in (low, high):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                return [_("Số từ tối thiểu/tối đa phải là số nguyên không âm.")]
        if low is not None and high is not None and low > high:
            return [_("Số từ tối thiểu lớn hơn số từ tối đa.")]
        return []

    def normalise(self, definition, raw):
        return {"text": require_text(raw, "text", MAX_ESSAY_CHARS)}

    def grade(self, definition, response):
        return Grade(None)

    def public(self, definition, option_order=None):
        return {"min_words": definition.get("min_words"), "max_words": definition.get("max_words")}


class FileUpload(QuestionTypeStrategy):
    """A practical task: the contestant uploads a document that judges grade."""

    name = "file"
    manual = True

    def validate(self, definition):
        accept = definition.get("accept", DEFAULT_ACCEPT)
        if (
            not isinstance(accept, list)
            or not accept
            or not all(isinstance(a, str) and a.startswith(".") for a in accept)
        ):
            return [_("Danh sách đuôi tệp được nộp không hợp lệ (ví dụ .docx).")]
        size = definition.get("max_bytes", DEFAULT_MAX_BYTES)
        if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
            return [_("Dung lượng tệp tối đa phải là số dương.")]
        return []

    def normalise(self, definition, raw):
        upload_id = require_dict(raw).get("upload_id")
        if isinstance(upload_id, bool) or not isinstance(upload_id, int) or upload_id <= 0:
            raise ResponseError(_("Chưa có tệp bài làm."))
        return {"upload_id": upload_id}

    def grade(self, definition, response):
        return Grade(None)

    def public(self, definition, option_order=None):
        return {
            "accept": definition.get("accept", DEFAULT_ACCEPT),
            "max_bytes": definition.get("max_bytes", DEFAULT_MAX_BYTES),
        }


class Description(QuestionTypeStrategy):
    """Text shown between questions; there is nothing to answer or grade."""

    name = "description"
    answerable = False

    def validate(self, definition):
        return []

    def normalise(self, definition, raw):
        raise ResponseError(_("Đoạn mô tả không cần trả lời."))

    def grade(self, definition, response):
        return Grade(None)

    def public(self, definition, option_order=None):
        return {}
