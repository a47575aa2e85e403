"""Moodle XML export: every type Moodle has, with texts as HTML and images embedded.

Ordering questions use the ``ordering`` plug-in's shape (answers in the right order); our
own options that Moodle lacks (accent-insensitive short answers, prediction questions) are
extra elements Moodle ignores and our importer reads. Practical file-upload questions are
written as Moodle essays that take only attachments (``noinline``). Stem images (``media:<sha256>``) are embedded as
base64 ``<file>`` elements referenced through ``@@PLUGINFILE@@``.
"""

import base64
import re
import xml.etree.ElementTree as ET  # noqa: S405 - building a document, never parsing one

from ..models import QuestionMedia
from ..qtypes.manual import DEFAULT_ACCEPT, DEFAULT_MAX_BYTES
from .common import export_items, moodle_category, number, percent

SKIPPED_TYPES: set[str] = set()
MOODLE_TYPE = {
    "single": "multichoice",
    "multiple": "multichoice",
    "truefalse": "truefalse",
    "short": "shortanswer",
    "numeric": "numerical",
    "matching": "matching",
    "ordering": "ordering",
    "essay": "essay",
    "file": "essay",
    "description": "description",
}


def export_moodlexml(bank) -> tuple[str, list]:
    root = ET.Element("quiz")
    skipped, current = [], None
    media = {m.sha256: m for m in QuestionMedia.objects.filter(bank=bank)}
    for item in export_items(bank):
        if item.version.qtype in SKIPPED_TYPES:
            skipped.append(item.question)
            continue
        if item.category != current:
            category = ET.SubElement(root, "question", type="category")
            _text(ET.SubElement(category, "category"), moodle_category(item.category))
            current = item.category
        root.append(write_question(item, media))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n", skipped


def _text(parent, value: str, fmt: str | None = None):
    if fmt:
        parent.set("format", fmt)
    ET.SubElement(parent, "text").text = value
    return parent


def _rich(parent, tag: str, html: str):
    return _text(ET.SubElement(parent, tag), html, "html")


def _embed(html: str, media: dict) -> tuple[str, list]:
    """``html`` with media:<sha> images pointing at @@PLUGINFILE@@, and their <file> elements."""
    files = []

    def swap(match):
        stored = media.get(match.group(1))
        if stored is None:
            return match.group(0)
        name = f"{stored.sha256}{stored.extension}"
        with stored.file.open("rb") as handle:
            data = base64.b64encode(handle.read()).decode()
        node = ET.Element("file", name=name, path="/", encoding="base64")
        node.text = data
        files.append(node)
        return f'src="@@PLUGINFILE@@/{name}"'

    return re.sub(r'src="media:([A-Za-z0-9._-]+)"', swap, html), files


def write_question(item, media: dict):
    version, definition = item.version, item.version.definition
    question = ET.Element("question", type=MOODLE_TYPE[version.qtype])
    _text(ET.SubElement(question, "name"), version.name)
    stem_html, files = _embed(version.stem_html, media)
    stem = _text(ET.SubElement(question, "questiontext"), stem_html, "html")
    stem.extend(files)
    _rich(question, "generalfeedback", version.general_feedback_html)
    ET.SubElement(question, "defaultgrade").text = number(float(version.default_points))
    if item.question.idnumber:
        ET.SubElement(question, "idnumber").text = item.question.idnumber
    _BODY[version.qtype](question, definition)
    if item.tags:
        tags = ET.SubElement(question, "tags")
        for tag in item.tags:
            _text(ET.SubElement(tags, "tag"), tag)
    return question


def _answer(question, text: str, fraction: float, feedback: str = "", fmt: str | None = "html"):
    answer = ET.SubElement(question, "answer", fraction=percent(fraction))
    _text(answer, text, fmt)
    _rich(answer, "feedback", feedback)
    return answer


def _single(question, definition):
    ET.SubElement(question, "single").text = "true"
    for option in definition["options"]:
        _answer(question, option["html"], option["fraction"], option.get("feedback", ""))


def _multiple(question, definition):
    ET.SubElement(question, "single").text = "false"
    for option in definition["options"]:
        _answer(question, option["html"], option["fraction"], option.get("feedback", ""))


def _truefalse(question, definition):
    correct = definition["correct"]
    _answer(
        question, "true", 1.0 if correct else 0.0, definition.get("feedback_true", ""), "moodle_auto_format"
    )
    _answer(
        question, "false", 0.0 if correct else 1.0, definition.get("feedback_false", ""), "moodle_auto_format"
    )


def _short(question, definition):
    ET.SubElement(question, "usecase").text = "1" if definition.get("case_sensitive") else "0"
    ET.SubElement(question, "accentsensitive").text = "1" if definition.get("accent_sensitive", True) else "0"
    for answer in definition["answers"]:
        _answer(question, answer["text"], answer["fraction"], answer.get("feedback", ""), "plain_text")


def _numeric(question, definition):
    ET.SubElement(question, "prediction").text = "1" if definition.get("prediction") else "0"
    for answer in definition["answers"]:
        catch_all = answer["value"] is None
        node = _answer(
            question,
            "*" if catch_all else number(answer["value"]),
            answer["fraction"],
            answer.get("feedback", ""),
            None,
        )
        ET.SubElement(node, "tolerance").text = "" if catch_all else number(answer.get("tolerance") or 0)


def _matching(question, definition):
    for pair in definition["pairs"]:
        sub = _text(ET.SubElement(question, "subquestion"), pair["html"], "html")
        _text(ET.SubElement(sub, "answer"), pair["answer"])
    for distractor in definition.get("distractors", []):
        sub = _text(ET.SubElement(question, "subquestion"), "", "html")
        _text(ET.SubElement(sub, "answer"), distractor)


def _ordering(question, definition):
    if definition.get("scoring") == "all_or_nothing":
        ET.SubElement(question, "gradingtype").text = "ALL_OR_NOTHING"
    # The plug-in stores each item's position in its fraction attribute.
    for position, item in enumerate(definition["items"], start=1):
        _text(ET.SubElement(question, "answer", fraction=str(position)), item["html"], "html")


def _essay(question, definition):
    for tag, key in (("minwordlimit", "min_words"), ("maxwordlimit", "max_words")):
        if definition.get(key):
            ET.SubElement(question, tag).text = str(definition[key])


def _file(question, definition):
    """A practical file upload is Moodle's essay that takes only attachments."""
    for tag, value in (
        ("responseformat", "noinline"),
        ("responserequired", "0"),
        ("attachments", "1"),
        ("attachmentsrequired", "1"),
        ("maxbytes", str(definition.get("max_bytes", DEFAULT_MAX_BYTES))),
        ("filetypeslist", ",".join(definition.get("accept", DEFAULT_ACCEPT))),
    ):
        ET.SubElement(question, tag).text = value


_BODY = {
    "file": _file,
    "single": _single,
    "multiple": _multiple,
    "truefalse": _truefalse,
    "short": _short,
    "numeric": _numeric,
    "matching": _matching,
    "ordering": _ordering,
    "essay": _essay,
    "description": lambda question, definition: None,
}
