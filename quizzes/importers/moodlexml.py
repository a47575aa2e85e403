"""Moodle XML importer, reading files as Moodle's ``qformat_xml`` does.

The XML is parsed with defusedxml with DTDs, entity declarations and external references
forbidden, so a billion-laughs or external-entity file is refused before anything is
expanded or fetched. Texts keep their declared format (``moodle_auto_format``, ``html``,
``plain_text``, ``markdown``, ``wiki_like``; feedback without a format takes the question
text's); category entries switch the category of the questions after them. Images embedded
as base64 ``<file>`` elements become the question's media; other embedded files are dropped
with a warning. Cloze (multianswer) and plug-in types are not modelled: each is an error
naming its line, never silently dropped.
"""

import base64
import binascii
import re

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.utils.translation import gettext as _

from .base import ParseResult
from .moodle import category_path, clean_name, default_name, to_parsed
from .text import TextDecodeError, decode_text, too_many_questions

FORMAT_NAMES = {
    "moodle_auto_format": "moodle",
    "html": "html",
    "plain_text": "plain",
    "markdown": "markdown",
    "wiki_like": "wiki",
}
#: Moodle XML embeds images as base64, so it may be larger than other text files.
MAX_XML_BYTES = 25 * 1024 * 1024
TYPE_ALIASES = {"matching": "match", "cloze": "multianswer"}
_IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}


def parse_moodlexml(data: bytes, filename: str = "") -> ParseResult:
    result = ParseResult(format="moodlexml")
    try:
        text = decode_text(data, max_bytes=MAX_XML_BYTES)
    except TextDecodeError as exc:
        result.error(exc.line, exc.message)
        return result
    # The text is already decoded: drop the declaration so its encoding is not applied twice.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", lambda m: "\n" * m.group(0).count("\n"), text, count=1)
    try:
        root = fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        result.error(
            None, _("Tệp XML có khai báo DTD hoặc thực thể (entity) nên bị từ chối vì lý do an toàn.")
        )
        return result
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        result.error(line, _("Tệp XML bị lỗi cú pháp: %(error)s.") % {"error": str(exc).split(":")[0]})
        return result
    if root.tag != "quiz":
        result.error(1, _("Không phải tệp Moodle XML: phần tử gốc phải là <quiz>."))
        return result
    lines = _question_lines(text)
    category: list[str] = []
    for number, element in enumerate(root.findall("question")):
        line = lines[number] if number < len(lines) else None
        category = _read(element, line, category, result)
        if too_many_questions(result):
            return result
    if not result.questions and not result.categories and not result.errors:
        result.error(None, _("Không tìm thấy câu hỏi nào trong tệp Moodle XML."))
    return result


def _question_lines(text: str) -> list[int]:
    """Line of each top-level <question>, found with comments and CDATA blanked out."""
    blank = re.sub(
        r"<!--.*?-->|<!\[CDATA\[.*?\]\]>", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.DOTALL
    )
    return [blank.count("\n", 0, m.start()) + 1 for m in re.finditer(r"<question\b", blank)]


def _text(element, path: str, default: str = "") -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None else default


def _format(element, default: str) -> str:
    if element is None:
        return default
    return FORMAT_NAMES.get(element.get("format", ""), default)


def _rich(element, tag: str, default_format: str) -> tuple[str, str, list]:
    """(text, format, <file> elements) of a text field such as <questiontext>."""
    node = element.find(tag)
    if node is None:
        return "", default_format, []
    return _text(node, "text"), _format(node, default_format), node.findall("file")


def _number(text: str, default: float) -> float:
    try:
        return float(text)
    except (TypeError, ValueError):
        return default


def _bool(text: str, default: bool) -> bool:
    if text in ("", None):
        return default
    return text.strip().lower() in {"1", "true", "yes"}


def _read(element, line, category, result: ParseResult) -> list[str]:
    raw_type = element.get("type")
    qtype = TYPE_ALIASES.get(raw_type, raw_type)
    if qtype == "category":
        raw = _text(element, "category/text")
        info, info_format, _files = _rich(element, "info", "moodle")
        category = category_path(raw)
        source = {"qtype": "category", "category": raw, "info": info, "info_format": info_format}
        result.categories.append(
            {"before": len(result.questions), "path": category, "line": line, "source": source}
        )
        return category
    if not qtype:
        result.error(line, _("Phần tử <question> thiếu thuộc tính type."))
        return category
    mq, media, rewrites = _moodle_question(element, qtype, result, line)
    parsed, errors = to_parsed(_rewritten(mq, rewrites), line=line, category=category)
    if parsed is None:
        for message in errors:
            result.error(line, message)
        return category
    parsed.media, parsed.source = media, mq
    result.questions.append(parsed)
    return category


def _rewritten(value, rewrites: dict):
    """A copy of ``value`` with @@PLUGINFILE@@ references pointing at our media keys."""
    if not rewrites:
        return value
    if isinstance(value, dict):
        return {k: _rewritten(v, rewrites) for k, v in value.items()}
    if isinstance(value, list):
        return [_rewritten(v, rewrites) for v in value]
    if isinstance(value, str):
        for old, new in rewrites.items():
            value = value.replace(old, new)
    return value


def _moodle_question(element, qtype, result, line):
    qtext, qformat, files = _rich(element, "questiontext", "moodle")
    legacy = element.find("image_base64")
    if legacy is not None and _text(element, "image"):
        # Moodle 1.9 kept one picture outside the text; Moodle appends it, and so do we.
        name = _text(element, "image").rsplit("/", 1)[-1]
        qtext += f' <img src="@@PLUGINFILE@@/{name}" />'
        files = [*files, _LegacyFile(name, legacy.text or "")]
    gtext, gformat, gfiles = _rich(element, "generalfeedback", qformat)
    name = clean_name(_text(element, "name/text")) or default_name(qtext)
    mq = {
        "qtype": qtype,
        "name": name,
        "questiontext": qtext,
        "questiontext_format": qformat,
        "generalfeedback": gtext,
        "generalfeedback_format": gformat,
        "defaultmark": _number(_text(element, "defaultgrade"), 0.0 if qtype == "description" else 1.0),
        "tags": [_text(tag, "text") for tag in element.findall("tags/tag")],
    }
    if _text(element, "idnumber"):
        mq["idnumber"] = _text(element, "idnumber")
    reader = _READERS.get(qtype)
    if reader is None:
        return mq, {}, {}
    reader(element, mq, qformat)
    media, rewrites = _media(files + gfiles, result, line)
    return mq, media, rewrites


def _answers(element, qformat: str, with_format: bool) -> list[dict]:
    answers = []
    for answer in element.findall("answer"):
        feedback, feedback_format, _files = _rich(answer, "feedback", qformat)
        item = {
            "text": _text(answer, "text"),
            "fraction": _number(answer.get("fraction"), 0.0) / 100,
            "feedback": feedback,
            "feedback_format": feedback_format,
        }
        if with_format:
            item["format"] = _format(answer, qformat)
        answers.append(item)
    return answers


def _multichoice(element, mq, qformat):
    mq["single"] = _bool(_text(element, "single"), True)
    mq["answers"] = _answers(element, qformat, with_format=True)


def _truefalse(element, mq, qformat):
    mq["correct_answer"] = False
    mq["feedback_true"] = mq["feedback_false"] = {"text": "", "format": qformat}
    for index, answer in enumerate(element.findall("answer")):
        word = _text(answer, "text").lower()
        if word not in {"true", "false"}:
            word = "true" if index == 0 else "false"  # old files: true first, then false
        feedback, feedback_format, _files = _rich(answer, "feedback", qformat)
        right = _number(answer.get("fraction"), 0.0) == 100
        mq[f"feedback_{word}"] = {"text": feedback, "format": feedback_format}
        if word == "true":
            mq["correct_answer"] = right
        else:
            mq["correct_answer"] = not right


def _shortanswer(element, mq, qformat):
    mq["usecase"] = _bool(_text(element, "usecase"), False)
    mq["answers"] = _answers(element, qformat, with_format=False)
    if element.find("accentsensitive") is not None:  # ours; Moodle ignores it
        mq["accent_sensitive"] = _bool(_text(element, "accentsensitive"), True)


def _numerical(element, mq, qformat):
    mq["answers"] = _answers(element, qformat, with_format=False)
    if element.find("prediction") is not None:  # ours; Moodle ignores it
        mq["prediction"] = _bool(_text(element, "prediction"), False)
    for answer, node in zip(mq["answers"], element.findall("answer"), strict=True):
        answer["tolerance"] = None if answer["text"] == "*" else _number(_text(node, "tolerance"), 0.0)


def _match(element, mq, qformat):
    mq["subquestions"] = [
        {"text": _text(sub, "text"), "format": _format(sub, qformat), "answer": _text(sub, "answer/text")}
        for sub in element.findall("subquestion")
    ]


def _essay(element, mq, qformat):
    for tag, key in (("minwordlimit", "min_word_limit"), ("maxwordlimit", "max_word_limit")):
        value = _text(element, tag)
        mq[key] = int(value) if value.isdigit() and int(value) > 0 else None
    mq["response_format"] = _text(element, "responseformat") or "editor"
    mq["attachments"] = int(_number(_text(element, "attachments"), 0))
    max_bytes = _text(element, "maxbytes")
    mq["max_bytes"] = int(max_bytes) if max_bytes.isdigit() and int(max_bytes) > 0 else None
    mq["filetypes_list"] = _text(element, "filetypeslist") or None


def _ordering(element, mq, qformat):
    """The ordering plug-in: answers carry their position in ``fraction``."""
    answers = element.findall("answer")
    ranked = sorted(enumerate(answers), key=lambda pair: (_number(pair[1].get("fraction"), pair[0]), pair[0]))
    mq["items"] = [{"text": _text(a, "text"), "format": _format(a, qformat)} for _i, a in ranked]
    mq["all_or_nothing"] = _text(element, "gradingtype").upper() == "ALL_OR_NOTHING"


_READERS = {
    "ordering": _ordering,
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
    "match": _match,
    "essay": _essay,
    "description": lambda element, mq, qformat: None,
}


class _LegacyFile:
    """A Moodle 1.9 <image_base64> seen as the <file> element it became."""

    def __init__(self, name: str, data: str):
        self.text = data
        self._attributes = {"name": name, "path": "/", "encoding": "base64"}

    def get(self, key, default=None):
        return self._attributes.get(key, default)


def _media(files, result, line) -> tuple[dict, dict]:
    """Embedded images as media:<key>, and the @@PLUGINFILE@@ references to rewrite to them.

    The Moodle-level texts stay as written; only our rendered copies point at the keys.
    """
    media, rewrites = {}, {}
    for node in files:
        name = node.get("name", "")
        extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
        if node.get("encoding") != "base64" or extension not in _IMAGE_TYPES:
            result.warn(line, _("Tệp đính kèm %(name)s không phải ảnh nên không được nhập.") % {"name": name})
            continue
        try:
            data = base64.b64decode("".join((node.text or "").split()), validate=True)
        except (binascii.Error, ValueError):
            result.warn(line, _("Ảnh %(name)s bị hỏng nên không được nhập.") % {"name": name})
            continue
        key = f"f{len(media) + 1}"
        media[key] = (data, _IMAGE_TYPES[extension], name)
        rewrites[f"@@PLUGINFILE@@{node.get('path', '/')}{name}"] = f"media:{key}"
    return media, rewrites
