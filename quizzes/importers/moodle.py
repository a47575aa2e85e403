"""Mapping Moodle-shaped questions onto our types, shared by the GIFT, Aiken and XML importers.

Each Moodle importer first builds the question as Moodle's own importer would (raw texts
with their formats, fractions, feedback: the shape of the conformance corpus), then
:func:`to_parsed` maps it onto a :class:`ParsedQuestion` of ours. The Moodle-level dict is
kept in ``ParsedQuestion.source`` so the conformance tests compare exactly what Moodle
compares, while the stored question holds sanitised HTML.

Text formats: ``html`` is sanitised; ``moodle`` (Moodle's auto-format: HTML allowed, line
breaks kept) is sanitised with line breaks as <br>; ``plain``, ``markdown`` and ``wiki`` are
escaped as plain text (markdown is shown as typed, not rendered).
"""

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from ..html import sanitise, text_to_html
from ..qtypes.manual import DEFAULT_ACCEPT, DEFAULT_MAX_BYTES
from ..qtypes.text import parse_number
from .base import ParsedQuestion

FORMATS = {"moodle", "html", "plain", "markdown", "wiki"}
CATEGORY_ROOTS = {"$course$", "$system$", "$module$", "$cat$", "$coursecategory$"}


def render(text: str, fmt: str) -> str:
    """Moodle text in ``fmt`` as our sanitised HTML."""
    if not text:
        return ""
    if fmt == "html":
        return sanitise(text)
    if fmt == "moodle":
        return sanitise(text.replace("\n", "<br>"))
    return text_to_html(text)


def option_id(index: int) -> str:
    return chr(ord("a") + index) if index < 26 else f"o{index + 1}"


def category_path(raw: str) -> list[str]:
    """Moodle's "$course$/top/IU03/Định dạng" as ["IU03", "Định dạng"] ("//" is a literal /)."""
    parts = [p.replace("\x00", "/").strip() for p in raw.replace("//", "\x00").split("/")]
    parts = [p for p in parts if p]
    if parts and parts[0] in CATEGORY_ROOTS:
        parts = parts[1:]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return parts


def to_parsed(mq: dict, *, line: int | None, category: list[str]) -> tuple[ParsedQuestion | None, list[str]]:
    """Our question for Moodle question ``mq``, or None with translated errors."""
    qtype = mq["qtype"]
    fmt = mq.get("questiontext_format", "moodle")
    builder = _BUILDERS.get(qtype)
    if builder is None:
        if qtype == "multianswer":
            return None, [
                _(
                    "Câu hỏi điền khuyết nhiều chỗ (cloze/multianswer) chưa được hỗ trợ; hãy tách thành các câu riêng."
                )
            ]
        return None, [_("Loại câu hỏi Moodle “%(qtype)s” chưa được hỗ trợ.") % {"qtype": qtype}]
    qtype_ours, definition, errors = builder(mq, fmt)
    if errors:
        return None, errors
    points = Decimal(str(mq.get("defaultmark", 1)))
    parsed = ParsedQuestion(
        qtype=qtype_ours,
        name=mq.get("name") or "",
        stem_html=render(mq.get("questiontext", ""), fmt),
        definition=definition,
        line=line,
        general_feedback_html=render(mq.get("generalfeedback", ""), mq.get("generalfeedback_format", fmt)),
        default_points=points,
        category_path=list(category),
        tags=list(mq.get("tags", [])),
        idnumber=mq.get("idnumber", ""),
        source=mq,
    )
    return parsed, []


def _feedback(item: dict, fmt: str) -> str:
    return render(item.get("feedback", ""), item.get("feedback_format", fmt))


def _multichoice(mq, fmt):
    options = [
        {
            "id": option_id(i),
            "html": render(a["text"], a.get("format", fmt)),
            "fraction": float(a["fraction"]),
            "feedback": _feedback(a, fmt),
        }
        for i, a in enumerate(mq["answers"])
    ]
    return ("single" if mq.get("single", True) else "multiple"), {"options": options}, []


def _truefalse(mq, fmt):
    return (
        "truefalse",
        {
            "correct": bool(mq["correct_answer"]),
            "feedback_true": render(mq["feedback_true"]["text"], mq["feedback_true"].get("format", fmt)),
            "feedback_false": render(mq["feedback_false"]["text"], mq["feedback_false"].get("format", fmt)),
        },
        [],
    )


def _shortanswer(mq, fmt):
    answers = [
        {"text": a["text"], "fraction": float(a["fraction"]), "feedback": _feedback(a, fmt)}
        for a in mq["answers"]
    ]
    definition = {
        "answers": answers,
        "case_sensitive": bool(mq.get("usecase")),
        "accent_sensitive": mq.get("accent_sensitive", True),
    }
    return "short", definition, []


def _numerical(mq, fmt):
    answers, errors = [], []
    for number, a in enumerate(mq["answers"], start=1):
        if a["text"] == "*":
            value, tolerance = None, None
        else:
            value = parse_number(a["text"])
            tolerance = parse_number(a.get("tolerance") if a.get("tolerance") not in (None, "") else 0)
            if value is None or tolerance is None:
                errors.append(
                    _("Đáp án %(n)d không phải là số: “%(text)s”.") % {"n": number, "text": a["text"]}
                )
                continue
        answers.append(
            {
                "value": value,
                "tolerance": tolerance,
                "fraction": float(a["fraction"]),
                "feedback": _feedback(a, fmt),
            }
        )
    return "numeric", {"answers": answers, "prediction": bool(mq.get("prediction", False))}, errors


def _match(mq, fmt):
    pairs, distractors = [], []
    for sub in mq["subquestions"]:
        if sub["text"].strip():
            pairs.append(
                {
                    "id": f"p{len(pairs) + 1}",
                    "html": render(sub["text"], sub.get("format", fmt)),
                    "answer": sub["answer"],
                }
            )
        elif sub["answer"].strip():
            distractors.append(sub["answer"])
    return "matching", {"pairs": pairs, "distractors": distractors}, []


def _ordering(mq, fmt):
    items = [
        {"id": str(i + 1), "html": render(item["text"], item.get("format", fmt))}
        for i, item in enumerate(mq["items"])
    ]
    scoring = "all_or_nothing" if mq.get("all_or_nothing") else "adjacent"
    return "ordering", {"items": items, "scoring": scoring}, []


def _essay(mq, fmt):
    """An essay; one that takes only attachments ("noinline") is our practical file upload."""
    if mq.get("response_format") == "noinline" and mq.get("attachments"):
        accept = [
            t.strip().lower()
            for t in (mq.get("filetypes_list") or "").split(",")
            if t.strip().startswith(".")
        ]
        definition = {
            "accept": accept or list(DEFAULT_ACCEPT),
            "max_bytes": mq.get("max_bytes") or DEFAULT_MAX_BYTES,
        }
        return "file", definition, []
    return "essay", {"min_words": mq.get("min_word_limit"), "max_words": mq.get("max_word_limit")}, []


def _description(mq, fmt):
    return "description", {}, []


_BUILDERS = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
    "match": _match,
    "ordering": _ordering,
    "essay": _essay,
    "description": _description,
}


# --- Names, as Moodle makes them -----------------------------------------------------


def clean_name(name: str) -> str:
    """Moodle's clean_question_name: tags stripped, trimmed, at most 255 characters."""
    name = re.sub(r"<(?=\S)[^>]*>?", "", name).strip()
    trim = 251
    while len(name) > 255 and trim > 0:
        name = shorten_text(name, trim)
        trim -= 10
    return name


def default_name(questiontext: str) -> str:
    return clean_name(shorten_text(questiontext, 80)) or _("Câu hỏi")


def shorten_text(text: str, ideal: int = 80, ending: str = "...") -> str:
    """Moodle's shorten_text for the plain-text case: cut at a space, a dot or a wide
    character before ``ideal`` characters, then add ``ending`` (tags count as nothing)."""
    if len(re.sub(r"<.*?>", "", text)) <= ideal:
        return text
    total, out = len(ending), []
    for tag, plain in re.findall(r"(<.+?>)?([^<>]*)", text, flags=re.DOTALL):
        out.append(tag)
        length = len(
            re.sub(r"&[0-9a-z]{2,8};|&#[0-9]{1,7};|&#x[0-9a-f]{1,6};", " ", plain, flags=re.IGNORECASE)
        )
        if total + length > ideal:
            left = ideal - total
            breakpos = left
            while breakpos > 0:
                char = plain[breakpos : breakpos + 1]
                if char and char != "0" and (char in ". " or len(char.encode()) > 2):
                    breakpos += 1
                    break
                breakpos -= 1
            if breakpos == 0 or breakpos > left:
                breakpos = left
            out.append(plain[:breakpos])
            break
        out.append(plain)
        total += length
        if total >= ideal:
            break
    return "".join(out) + ending
