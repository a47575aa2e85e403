"""A stored answer as the judges read it in the per-question breakdown, and each question's key
for the item analysis. Pure: no ORM.

Options are shown as letters in the order the question's *definition* lists them (A is always
the first option the author wrote), not in the order a contestant saw them: papers shuffle
options per contestant, and a breakdown where "B" meant a different option on every row would
be useless. The item analysis uses the same letters, so the two sheets agree.
"""

from __future__ import annotations

import functools
from decimal import Decimal
from string import ascii_uppercase

from django.utils.translation import gettext as _

from contest.exporters.tables import format_boolean
from contest.item_analysis import ItemKey, ItemResponse

CHOICE_TYPES = frozenset({"single", "multiple"})


def letter(index: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA": enough for any question."""
    if index < len(ascii_uppercase):
        return ascii_uppercase[index]
    return letter(index // len(ascii_uppercase) - 1) + ascii_uppercase[index % len(ascii_uppercase)]


def _letters(items: list[dict]) -> dict[str, str]:
    return {str(item.get("id")): letter(index) for index, item in enumerate(items)}


class QuestionReader:
    """One question version's view of answers: letters and key worked out once, then applied
    to every contestant's answer (2,000 contestants read the same 40 versions)."""

    __slots__ = ("qtype", "letters", "key")

    def __init__(self, question_id, qtype: str, definition: dict):
        self.qtype = qtype
        items = {"ordering": "items", "matching": "pairs"}.get(qtype, "options")
        self.letters = _letters(definition.get(items, []))
        self.key = _item_key(question_id, qtype, definition)

    def _chosen(self, response: dict) -> list[str]:
        return [response["choice"]] if "choice" in response else response.get("choices", [])

    def text(self, response: dict | None) -> str | None:
        """The response in one cell: option letters, the number or text typed, "Đúng"/"Sai".

        ``None`` for no answer. Typed text is returned as typed: the exporters neutralise it.
        """
        if not response:
            return None
        letters = self.letters
        if self.qtype in CHOICE_TYPES:
            return ", ".join(sorted(letters.get(str(c), str(c)) for c in self._chosen(response))) or None
        if self.qtype == "truefalse":
            value = response.get("value")
            return None if value is None else format_boolean(bool(value))
        if self.qtype == "ordering":
            return "-".join(letters.get(str(i), str(i)) for i in response.get("order", [])) or None
        if self.qtype == "matching":
            pairs = response.get("pairs", {})
            return "; ".join(f"{letters.get(k, k)}={v}" for k, v in sorted(pairs.items())) or None
        if self.qtype == "file":
            return _("(đã nộp tệp)") if response.get("upload_id") else None
        for name in ("text", "value"):
            if response.get(name) not in (None, ""):
                return str(response[name])
        return None

    def item_response(self, contestant_id, response: dict | None, fraction) -> ItemResponse:
        """One answer for the item analysis; a blank answer counts as 0 with no choice."""
        choice: frozenset[str] = frozenset()
        if response and self.qtype in CHOICE_TYPES:
            choice = frozenset(self.letters[str(c)] for c in self._chosen(response) if str(c) in self.letters)
        return ItemResponse(contestant_id, self.key.question_id, _fraction(fraction), choice)


@functools.lru_cache(maxsize=1024)
def _fraction(value: float | None) -> Decimal:
    """Fractions repeat (0, 1, a few shares): convert each distinct one once."""
    return Decimal(str(value)) if value is not None else Decimal(0)


def is_correct(fraction: float | None) -> bool | None:
    """Fully correct or not; ``None`` while a judge has not marked it."""
    return None if fraction is None else fraction >= 1


def _item_key(question_id, qtype: str, definition: dict) -> ItemKey:
    """Options as letters and the key: options that give full marks (single) or any marks
    (multiple, where each right option carries a share)."""
    if qtype not in CHOICE_TYPES:
        return ItemKey(question_id)
    options = definition.get("options", [])

    def in_key(option: dict) -> bool:
        fraction = float(option.get("fraction") or 0)
        return fraction >= 1 if qtype == "single" else fraction > 0

    key = frozenset(letter(index) for index, option in enumerate(options) if in_key(option))
    return ItemKey(question_id, tuple(letter(index) for index in range(len(options))), key)
