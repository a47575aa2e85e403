"""Reading the authoring forms: the common fields of a question and each type's definition.

Parsing only: the rules live in ``quizzes.question_types`` and ``quizzes.services``
(``check_question``), which the views call with what these functions return. Each type has
a reader (POST -> definition) and an initialiser (definition -> form values), so editing a
question shows exactly what is stored, including imported partial credit.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import question_types
from .models import QuestionType

EXTRA_OPTION_ROWS = 2
MIN_OPTION_ROWS = 4
_WEIGHT = re.compile(r"^(.*?)\s*=\s*(-?\d+(?:[.,]\d+)?)\s*%\s*$")
_PLUS_MINUS = re.compile(r"^(.+?)\s*(?:±|\+/-|\+-)\s*(.+)$")


class QuestionForm(forms.Form):
    """The fields every type shares; the definition comes from :func:`read_definition`."""

    qtype = forms.ChoiceField(label=gettext_lazy("Loại câu hỏi"), choices=QuestionType.choices)
    name = forms.CharField(
        label=gettext_lazy("Tên ngắn"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Để trống: lấy phần đầu nội dung câu hỏi."),
    )
    stem_html = forms.CharField(
        label=gettext_lazy("Nội dung câu hỏi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Cho phép HTML đơn giản: <b>, <i>, <u>, <sub>, <sup>, danh sách, bảng, <code>."
        ),
    )
    general_feedback_html = forms.CharField(
        label=gettext_lazy("Giải thích (hiện sau khi công bố kết quả)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    default_points = forms.DecimalField(
        label=gettext_lazy("Điểm mặc định"), initial=Decimal("1"), min_value=0, max_digits=7, decimal_places=2
    )
    category = forms.TypedChoiceField(
        label=gettext_lazy("Danh mục"), required=False, coerce=int, empty_value=None
    )
    new_category = forms.CharField(
        label=gettext_lazy("hoặc danh mục mới"),
        required=False,
        max_length=400,
        help_text=gettext_lazy("Các cấp cách nhau bởi /, ví dụ IU04 / Bảng tính."),
    )
    tags = forms.CharField(
        label=gettext_lazy("Nhãn"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Cách nhau bởi dấu phẩy, ví dụ IU04, dễ, Excel."),
    )
    idnumber = forms.CharField(label=gettext_lazy("Mã câu hỏi"), required=False, max_length=100)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—")] + [(c.pk, " / ".join(path)) for c, path in categories]

    def tag_names(self) -> list[str]:
        return split_list(self.cleaned_data.get("tags", ""))

    def category_path(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data.get("new_category", "").split("/") if part.strip()]


def split_list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;]", text or "") if part.strip()]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _percent(text: str, errors: list[str], what: str) -> float:
    value = question_types.parse_number(text or "0")
    if value is None:
        errors.append(_("%(what)s: tỉ lệ điểm “%(v)s” không phải là số.") % {"what": what, "v": text})
        return 0.0
    return round(value / 100, 7)


def _split_weight(line: str, errors: list[str]) -> tuple[str, float]:
    match = _WEIGHT.match(line)
    if not match:
        return line, 1.0
    return match.group(1).strip(), _percent(match.group(2), errors, match.group(1).strip())


def _show_weight(text: str, fraction) -> str:
    fraction = float(fraction if fraction is not None else 1.0)
    return text if abs(fraction - 1.0) < 1e-9 else f"{text}={_number(fraction * 100)}%"


def _number(value) -> str:
    try:
        return format(Decimal(str(round(float(value), 7))).normalize(), "f")
    except (InvalidOperation, ValueError, TypeError):
        return str(value)


# --- Readers: POST -> definition ----------------------------------------------------------


def read_definition(qtype: str, data) -> tuple[dict, list[str]]:
    """The definition described by the type's fields in ``data`` (a QueryDict), and the
    errors found while reading them (a number that is not one, …)."""
    errors: list[str] = []
    reader = _READERS.get(qtype)
    return (reader(data, errors) if reader else {}), errors


def _read_options(data, errors, *, with_fractions=True) -> list[dict]:
    ids, htmls = data.getlist("option_id"), data.getlist("option_html")
    fractions, feedbacks = data.getlist("option_fraction"), data.getlist("option_feedback")
    used = {i for i in ids if i}
    options = []
    for index, html in enumerate(htmls):
        if not html.strip():
            continue
        option_id = ids[index] if index < len(ids) and ids[index] else _free_id(used)
        used.add(option_id)
        option = {"id": option_id, "html": html.strip()}
        if with_fractions:
            what = _("Phương án %(n)d") % {"n": len(options) + 1}
            option["fraction"] = _percent(fractions[index] if index < len(fractions) else "0", errors, what)
            option["feedback"] = (feedbacks[index] if index < len(feedbacks) else "").strip()
        options.append(option)
    return options


def _free_id(used: set[str]) -> str:
    return next(
        letter
        for letter in "abcdefghijklmnopqrstuvwxyz" + "".join(map(str, range(100)))
        if letter not in used
    )


def _choice(data, errors):
    return {"options": _read_options(data, errors)}


def _truefalse(data, errors):
    value = data.get("tf_correct")
    return {
        "correct": True if value == "true" else False if value == "false" else None,
        "feedback_true": data.get("feedback_true", "").strip(),
        "feedback_false": data.get("feedback_false", "").strip(),
    }


def _short(data, errors):
    answers = []
    for line in _lines(data.get("short_answers")):
        text, fraction = _split_weight(line, errors)
        answers.append({"text": text, "fraction": fraction, "feedback": ""})
    return {
        "answers": answers,
        "case_sensitive": data.get("case_sensitive") == "on",
        "accent_sensitive": data.get("accent_sensitive") == "on",
    }


def _numeric(data, errors):
    answers = []
    for line in _lines(data.get("numeric_answers")):
        text, fraction = _split_weight(line, errors)
        value, tolerance = _read_number_line(text)
        if value is None:
            errors.append(
                _("Đáp án số “%(v)s” không hợp lệ (ví dụ 3,14 hoặc 3,14 ± 0,01 hoặc 10..20).") % {"v": line}
            )
            continue
        answers.append({"value": value, "tolerance": tolerance, "fraction": fraction, "feedback": ""})
    return {"answers": answers, "prediction": data.get("prediction") == "on"}


def _read_number_line(text: str) -> tuple[float | None, float]:
    if ".." in text:
        low, _sep, high = text.partition("..")
        low, high = question_types.parse_number(low), question_types.parse_number(high)
        if low is None or high is None or low > high:
            return None, 0.0
        return (low + high) / 2, (high - low) / 2
    match = _PLUS_MINUS.match(text)
    if match:
        value, tolerance = (
            question_types.parse_number(match.group(1)),
            question_types.parse_number(match.group(2)),
        )
        return (value, tolerance) if value is not None and tolerance is not None else (None, 0.0)
    return question_types.parse_number(text), 0.0


def _ordering(data, errors):
    return {
        "items": [{"id": str(n), "html": line} for n, line in enumerate(_lines(data.get("order_items")), 1)]
    }


def _matching(data, errors):
    pairs = []
    for line in _lines(data.get("match_pairs")):
        prompt, arrow, answer = line.partition("=>")
        if not arrow or not prompt.strip() or not answer.strip():
            errors.append(_("Dòng ghép cặp “%(v)s” phải có dạng “vế trái => vế phải”.") % {"v": line})
            continue
        pairs.append({"id": f"p{len(pairs) + 1}", "html": prompt.strip(), "answer": answer.strip()})
    return {"pairs": pairs, "distractors": _lines(data.get("match_distractors"))}


def _optional_int(text: str, errors, what) -> int | None:
    if not (text or "").strip():
        return None
    try:
        return int(text)
    except ValueError:
        errors.append(_("%(what)s phải là số nguyên.") % {"what": what})
        return None


def _essay(data, errors):
    return {
        "min_words": _optional_int(data.get("min_words"), errors, _("Số từ tối thiểu")),
        "max_words": _optional_int(data.get("max_words"), errors, _("Số từ tối đa")),
    }


def _file(data, errors):
    accept = [
        ext if ext.startswith(".") else f".{ext}" for ext in split_list(data.get("file_accept", "").lower())
    ]
    megabytes = question_types.parse_number(data.get("file_max_mb") or "10")
    if megabytes is None or megabytes <= 0:
        errors.append(_("Dung lượng tối đa phải là số dương."))
        megabytes = 10
    return {"accept": accept, "max_bytes": int(megabytes * 1024 * 1024)}


_READERS = {
    "single": _choice,
    "multiple": _choice,
    "truefalse": _truefalse,
    "short": _short,
    "numeric": _numeric,
    "ordering": _ordering,
    "matching": _matching,
    "essay": _essay,
    "file": _file,
    "description": lambda data, errors: {},
}


# --- Initialisers: definition -> form values ----------------------------------------------


def definition_initial(qtype: str, definition: dict) -> dict:
    """Form values for every type's fields (all types, so switching type keeps defaults)."""
    values = {
        "options": [],
        "tf_correct": "",
        "feedback_true": "",
        "feedback_false": "",
        "short_answers": "",
        "case_sensitive": False,
        "accent_sensitive": True,
        "numeric_answers": "",
        "prediction": False,
        "order_items": "",
        "match_pairs": "",
        "match_distractors": "",
        "min_words": "",
        "max_words": "",
        "file_accept": ", ".join([".docx", ".xlsx", ".pptx", ".pdf"]),
        "file_max_mb": "10",
    }
    definition = definition or {}
    if qtype in {"single", "multiple"}:
        values["options"] = [
            {
                "id": o.get("id", ""),
                "html": o.get("html", ""),
                "fraction": _number(float(o.get("fraction", 0)) * 100),
                "feedback": o.get("feedback", ""),
            }
            for o in definition.get("options", [])
        ]
    elif qtype == "truefalse":
        correct = definition.get("correct")
        values["tf_correct"] = "" if correct is None else ("true" if correct else "false")
        values["feedback_true"] = definition.get("feedback_true", "")
        values["feedback_false"] = definition.get("feedback_false", "")
    elif qtype == "short":
        values["short_answers"] = "\n".join(
            _show_weight(a["text"], a.get("fraction")) for a in definition.get("answers", [])
        )
        values["case_sensitive"] = bool(definition.get("case_sensitive", False))
        values["accent_sensitive"] = bool(definition.get("accent_sensitive", True))
    elif qtype == "numeric":
        values["numeric_answers"] = "\n".join(
            _show_weight(
                _number(a["value"])
                + (f" ± {_number(a['tolerance'])}" if float(a.get("tolerance") or 0) else ""),
                a.get("fraction"),
            )
            for a in definition.get("answers", [])
            if a.get("value") is not None
        )
        values["prediction"] = bool(definition.get("prediction"))
    elif qtype == "ordering":
        values["order_items"] = "\n".join(item["html"] for item in definition.get("items", []))
    elif qtype == "matching":
        values["match_pairs"] = "\n".join(
            f"{p['html']} => {p['answer']}" for p in definition.get("pairs", [])
        )
        values["match_distractors"] = "\n".join(definition.get("distractors", []))
    elif qtype == "essay":
        values["min_words"] = definition.get("min_words") or ""
        values["max_words"] = definition.get("max_words") or ""
    elif qtype == "file":
        values["file_accept"] = ", ".join(definition.get("accept", []))
        values["file_max_mb"] = _number(definition.get("max_bytes", 10485760) / 1048576)
    rows = max(MIN_OPTION_ROWS, len(values["options"]) + EXTRA_OPTION_ROWS)
    values["options"] += [{"id": "", "html": "", "fraction": "0", "feedback": ""}] * (
        rows - len(values["options"])
    )
    return values


def initial_from_post(data) -> dict:
    """The type fields as posted, to re-show the form after an error without losing input."""
    values = definition_initial("", {})
    for key in values:
        if key == "options":
            continue
        if key in {"case_sensitive", "accent_sensitive", "prediction"}:
            values[key] = data.get(key) == "on"
        else:
            values[key] = data.get(key, values[key])
    htmls = data.getlist("option_html")
    ids, fractions, feedbacks = (
        data.getlist("option_id"),
        data.getlist("option_fraction"),
        data.getlist("option_feedback"),
    )
    options = [
        {
            "id": ids[i] if i < len(ids) else "",
            "html": html,
            "fraction": fractions[i] if i < len(fractions) else "0",
            "feedback": feedbacks[i] if i < len(feedbacks) else "",
        }
        for i, html in enumerate(htmls)
    ]
    rows = max(
        MIN_OPTION_ROWS, len([o for o in options if o["html"].strip()]) + EXTRA_OPTION_ROWS, len(options)
    )
    values["options"] = options + [{"id": "", "html": "", "fraction": "0", "feedback": ""}] * (
        rows - len(options)
    )
    return values
