"""Arranging types: ordering (put items in order) and matching (pair prompts with answers)."""

from django.utils.translation import gettext as _

from contest.vietnamese import text_sort_key

from .base import Grade, QuestionTypeStrategy, ResponseError, check_unique_ids, ids_of, ordered, require_dict


class Ordering(QuestionTypeStrategy):
    """The correct order is the definition's list order.

    Partial credit (``scoring``): "adjacent" (default) counts the neighbouring pairs the
    contestant placed in the right relative order, out of n-1, so one item misplaced costs
    little and a reversed list scores 0; "all_or_nothing" gives 1 only for the exact order.
    """

    name = "ordering"
    SCORINGS = ("adjacent", "all_or_nothing")

    def validate(self, definition):
        items = definition.get("items")
        if not isinstance(items, list) or len(items) < 2:
            return [_("Cần ít nhất hai mục để sắp xếp.")]
        errors = check_unique_ids(items, _("mục"))
        if any(not str(item.get("html", "")).strip() for item in items if isinstance(item, dict)):
            errors.append(_("Có mục để trống."))
        if definition.get("scoring", "adjacent") not in self.SCORINGS:
            errors.append(_("Cách tính điểm sắp xếp không hợp lệ."))
        return errors

    def normalise(self, definition, raw):
        order = require_dict(raw).get("order")
        ids = ids_of(definition["items"])
        if not isinstance(order, list) or sorted(str(i) for i in order) != sorted(ids):
            raise ResponseError(_("Thứ tự gửi lên phải gồm đủ các mục, mỗi mục một lần."))
        return {"order": [str(i) for i in order]}

    def grade(self, definition, response):
        correct = ids_of(definition["items"])
        given = response["order"]
        if definition.get("scoring") == "all_or_nothing":
            return Grade(1.0 if given == correct else 0.0)
        position = {item_id: index for index, item_id in enumerate(correct)}
        right = sum(1 for a, b in zip(given, given[1:], strict=False) if position[b] == position[a] + 1)
        return Grade(right / (len(correct) - 1))

    def public(self, definition, option_order=None):
        items = definition["items"]
        if option_order is None:
            # Never hand out the key order: without a paper's order, sort by text.
            items = sorted(items, key=lambda item: text_sort_key(item["html"]))
        return {"items": [{"id": i["id"], "html": i["html"]} for i in ordered(items, option_order)]}

    def option_ids(self, definition):
        return ids_of(definition.get("items", []))


class Matching(QuestionTypeStrategy):
    """Each prompt gets one answer from a shared list (the answers plus distractors).

    Fraction = prompts matched correctly / prompts. The shared list is handed out sorted,
    so its order tells nothing about the key.
    """

    name = "matching"

    def validate(self, definition):
        pairs = definition.get("pairs")
        if not isinstance(pairs, list) or len(pairs) < 2:
            return [_("Cần ít nhất hai cặp ghép.")]
        errors = check_unique_ids(pairs, _("cặp"))
        for number, pair in enumerate(pairs, start=1):
            if not isinstance(pair, dict) or not str(pair.get("html", "")).strip():
                errors.append(_("Vế trái của cặp %(n)d để trống.") % {"n": number})
            elif not str(pair.get("answer", "")).strip():
                errors.append(_("Vế phải của cặp %(n)d để trống.") % {"n": number})
        distractors = definition.get("distractors", [])
        if not isinstance(distractors, list) or not all(
            isinstance(d, str) and d.strip() for d in distractors
        ):
            errors.append(_("Phương án gây nhiễu không hợp lệ."))
        return errors

    def choices(self, definition) -> list[str]:
        texts = {p["answer"] for p in definition["pairs"]} | set(definition.get("distractors", []))
        return sorted(texts, key=text_sort_key)

    def normalise(self, definition, raw):
        given = require_dict(raw).get("pairs")
        if not isinstance(given, dict):
            raise ResponseError(_("Câu trả lời không đúng định dạng."))
        ids, choices = set(ids_of(definition["pairs"])), set(self.choices(definition))
        result = {}
        for pair_id, answer in given.items():
            if str(pair_id) not in ids or (answer not in choices and answer not in ("", None)):
                raise ResponseError(_("Cặp ghép gửi lên không tồn tại."))
            if answer:
                result[str(pair_id)] = answer
        return {"pairs": result}

    def grade(self, definition, response):
        pairs = definition["pairs"]
        right = sum(1 for p in pairs if response["pairs"].get(str(p["id"])) == p["answer"])
        return Grade(right / len(pairs))

    def public(self, definition, option_order=None):
        prompts = [{"id": p["id"], "html": p["html"]} for p in ordered(definition["pairs"], option_order)]
        return {"prompts": prompts, "choices": self.choices(definition)}

    def option_ids(self, definition):
        return ids_of(definition.get("pairs", []))
