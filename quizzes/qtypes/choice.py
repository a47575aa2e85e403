"""Choice types: single, multiple (Moodle fractions, clamped total) and true/false."""

from django.utils.translation import gettext as _

from .base import (
    Grade,
    QuestionTypeStrategy,
    ResponseError,
    as_fraction,
    check_unique_ids,
    clamp,
    ids_of,
    ordered,
    require_dict,
)


class _Options(QuestionTypeStrategy):
    def validate(self, definition):
        options = definition.get("options")
        if not isinstance(options, list) or len(options) < 2:
            return [_("Cần ít nhất hai phương án.")]
        errors = check_unique_ids(options, _("phương án"))
        for number, option in enumerate(options, start=1):
            if not isinstance(option, dict):
                return [*errors, _("Phương án %(n)d không hợp lệ.") % {"n": number}]
            if not str(option.get("html", "")).strip():
                errors.append(_("Phương án %(n)d để trống.") % {"n": number})
            if as_fraction(option.get("fraction", 0)) is None:
                errors.append(
                    _("Phương án %(n)d có tỉ lệ điểm không hợp lệ (phải từ -100%% đến 100%%).")
                    % {"n": number}
                )
        if not errors:
            errors += self.check_key(options)
        return errors

    def check_key(self, options) -> list[str]:
        raise NotImplementedError

    def public(self, definition, option_order=None):
        return {
            "options": [
                {"id": o["id"], "html": o["html"]} for o in ordered(definition["options"], option_order)
            ]
        }

    def option_ids(self, definition):
        return ids_of(definition.get("options", []))

    def _by_id(self, definition) -> dict:
        return {str(o["id"]): o for o in definition["options"]}


class SingleChoice(_Options):
    name = "single"

    def check_key(self, options):
        if max(float(o.get("fraction", 0)) for o in options) < 1.0:
            return [_("Phải có một phương án đúng (100%).")]
        return []

    def normalise(self, definition, raw):
        choice = require_dict(raw).get("choice")
        if choice is None or str(choice) not in self._by_id(definition):
            raise ResponseError(_("Phương án đã chọn không tồn tại."))
        return {"choice": str(choice)}

    def grade(self, definition, response):
        option = self._by_id(definition)[response["choice"]]
        return Grade(clamp(float(option.get("fraction", 0))), option.get("feedback", ""))


class MultipleChoice(_Options):
    """Several may be chosen; the chosen fractions are added and the total clamped to 0..1,
    so wrong choices with negative fractions cancel right ones (Moodle's rule)."""

    name = "multiple"

    def check_key(self, options):
        positive = sum(max(0.0, float(o.get("fraction", 0))) for o in options)
        if abs(positive - 1.0) > 0.01:
            return [
                _("Tổng tỉ lệ điểm của các phương án đúng phải bằng 100%% (hiện là %(p)s%%).")
                % {"p": round(positive * 100, 2)}
            ]
        return []

    def normalise(self, definition, raw):
        choices = require_dict(raw).get("choices")
        if not isinstance(choices, list):
            raise ResponseError(_("Câu trả lời không đúng định dạng."))
        known = self._by_id(definition)
        result = []
        for choice in choices:
            if str(choice) not in known:
                raise ResponseError(_("Phương án đã chọn không tồn tại."))
            if str(choice) not in result:
                result.append(str(choice))
        # Stored in definition order so equal answers compare equal.
        return {"choices": [i for i in known if i in result]}

    def grade(self, definition, response):
        known = self._by_id(definition)
        chosen = [known[i] for i in response["choices"]]
        total = sum(float(o.get("fraction", 0)) for o in chosen)
        feedback = "\n".join(o["feedback"] for o in chosen if o.get("feedback"))
        return Grade(clamp(total), feedback)


class TrueFalse(QuestionTypeStrategy):
    """Feedback follows Moodle: ``feedback_true`` is shown to whoever answered true."""

    name = "truefalse"

    def validate(self, definition):
        if not isinstance(definition.get("correct"), bool):
            return [_("Chưa chọn đáp án Đúng hay Sai.")]
        return []

    def normalise(self, definition, raw):
        value = require_dict(raw).get("value")
        if not isinstance(value, bool):
            raise ResponseError(_("Hãy chọn Đúng hoặc Sai."))
        return {"value": value}

    def grade(self, definition, response):
        value = response["value"]
        feedback = definition.get("feedback_true" if value else "feedback_false", "")
        return Grade(1.0 if value == definition["correct"] else 0.0, feedback)

    def public(self, definition, option_order=None):
        return {}
