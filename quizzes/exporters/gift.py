"""GIFT export, written as Moodle's exporter writes it so Moodle and our importer read it back.

Texts are written as ``[html]`` with GIFT's special characters escaped. What GIFT cannot say
in Moodle's syntax (points, short-answer case/accent options, the prediction flag, essay
word limits) goes into a ``// [hoithi:…]`` comment that Moodle ignores and our importer
reads, so import(export(bank)) gives the same bank. Ordering and file-upload questions have
no GIFT form: they are returned as skipped.
"""

from decimal import Decimal

from .common import export_items, moodle_category, number, percent

SKIPPED_TYPES = {"ordering", "file"}


def escape(text: str) -> str:
    """GIFT escapes for ``\\ ~ = # { } :`` and line breaks."""
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def html(text: str) -> str:
    return "[html]" + escape(text) if text else ""


def export_gift(bank) -> tuple[str, list]:
    """(GIFT text, questions that GIFT cannot represent)."""
    out, skipped, current = [], [], None
    for item in export_items(bank):
        if item.version.qtype in SKIPPED_TYPES:
            skipped.append(item.question)
            continue
        if item.category != current:
            out.append(f"$CATEGORY: {moodle_category(item.category)}\n\n")
            current = item.category
        out.append(write_question(item) + "\n\n")
    return "".join(out), skipped


def _comment(item) -> str:
    meta = [f"[id:{item.question.idnumber.replace(']', chr(92) + ']')}]"] if item.question.idnumber else []
    meta += [f"[tag:{tag.replace(']', chr(92) + ']')}]" for tag in item.tags]
    options = _options(item.version)
    if options:
        meta.append("[hoithi:" + ";".join(f"{k}={v}" for k, v in options.items()) + "]")
    return f"// {' '.join(meta)}\n" if meta else ""


def _options(version) -> dict:
    definition, options = version.definition, {}
    # GIFT has no points: Moodle takes 1 (0 for a description); write any other value.
    if version.default_points != (Decimal("0") if version.qtype == "description" else Decimal("1")):
        options["points"] = format(version.default_points.normalize(), "f")
    if version.qtype == "short":
        if definition.get("case_sensitive"):
            options["case_sensitive"] = 1
        if not definition.get("accent_sensitive", True):
            options["accent_sensitive"] = 0
    if version.qtype == "numeric" and definition.get("prediction"):
        options["prediction"] = 1
    if version.qtype == "essay":
        for key in ("min_words", "max_words"):
            if definition.get(key) is not None:
                options[key] = definition[key]
    return options


def write_question(item) -> str:
    version = item.version
    definition = version.definition
    head = f"{_comment(item)}::{escape(version.name)}::{html(version.stem_html) or '[html]'}"
    general = f"\t####{html(version.general_feedback_html)}\n" if version.general_feedback_html else ""
    qtype = version.qtype
    if qtype == "description":
        return head
    if qtype == "essay":
        return head + "{" + general.strip() + "}"
    if qtype == "truefalse":
        right = definition.get("feedback_true" if definition["correct"] else "feedback_false", "")
        wrong = definition.get("feedback_false" if definition["correct"] else "feedback_true", "")
        feedback = f"#{html(wrong)}#{html(right)}" if right else (f"#{html(wrong)}" if wrong else "")
        return head + "{" + ("TRUE" if definition["correct"] else "FALSE") + feedback + general.strip() + "}"
    return (
        head
        + "{"
        + ("#" if qtype == "numeric" else "")
        + "\n"
        + "".join(_answers(qtype, definition))
        + general
        + "}"
    )


def _feedback(value: str) -> str:
    return f"#{html(value)}" if value else ""


def _answers(qtype: str, definition: dict):
    if qtype in {"single", "multiple"}:
        for option in definition["options"]:
            fraction = float(option["fraction"])
            if qtype == "single" and fraction in (0.0, 1.0):
                mark = "=" if fraction else "~"
            else:
                mark = f"~%{percent(fraction)}%"  # no "=" anywhere makes Moodle read "multiple"
            yield f"\t{mark}{html(option['html'])}{_feedback(option.get('feedback', ''))}\n"
    elif qtype == "short":
        for answer in definition["answers"]:
            yield f"\t=%{percent(answer['fraction'])}%{escape(answer['text'])}{_feedback(answer.get('feedback', ''))}\n"
    elif qtype == "numeric":
        # The catch-all goes last: GIFT reads everything after "~" as its feedback.
        for answer in sorted(definition["answers"], key=lambda a: a["value"] is None):
            if answer["value"] is None:
                yield f"\t~#{html(answer.get('feedback', ''))}\n"
            else:
                value = f"{number(answer['value'])}:{number(answer.get('tolerance') or 0)}"
                yield f"\t=%{percent(answer['fraction'])}%{value}{_feedback(answer.get('feedback', ''))}\n"
    elif qtype == "matching":
        for pair in definition["pairs"]:
            yield f"\t={html(pair['html'])} -> {escape(pair['answer'])}\n"
        for distractor in definition.get("distractors", []):
            yield f"\t= -> {escape(distractor)}\n"
