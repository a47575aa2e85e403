"""Preparing question content for storage: sanitised HTML, search text, fingerprints, tags.

Pure functions (no ORM) shared by the services, the importers and the exporters, so a
question is cleaned and fingerprinted the same way however it arrives.
"""

import hashlib
import re

from contest.vietnamese import fold, fold_spaces, nfc

from .html import html_to_text, sanitise

#: Definition keys whose string values are HTML (sanitised); every other string is plain text.
HTML_KEYS = {"html", "feedback", "feedback_true", "feedback_false"}
MODULE_TAG = re.compile(r"^IU0[1-6]$", re.IGNORECASE)
DIFFICULTY_TAGS = {
    "de": "dễ",
    "easy": "dễ",
    "trung binh": "trung bình",
    "medium": "trung bình",
    "kho": "khó",
    "hard": "khó",
}


def clean_definition(definition):
    """A copy of ``definition`` with HTML values sanitised and all text NFC and trimmed."""
    if isinstance(definition, dict):
        return {
            key: sanitise(value).strip()
            if key in HTML_KEYS and isinstance(value, str)
            else clean_definition(value)
            for key, value in definition.items()
        }
    if isinstance(definition, list):
        return [clean_definition(item) for item in definition]
    if isinstance(definition, str):
        return nfc(definition).strip()
    return definition


def stem_fingerprint(stem_html: str) -> str:
    """Accent-, case- and space-insensitive identity of a stem, for duplicate detection."""
    return hashlib.sha256(fold_spaces(html_to_text(stem_html)).encode()).hexdigest()


def search_text(name: str, stem_html: str, definition: dict) -> str:
    """Folded text that search matches against: name, stem and every option/answer text."""
    parts = [name, html_to_text(stem_html)]

    def walk(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key in {"html", "text", "answer"}:
            parts.append(html_to_text(value) if key == "html" else value)

    walk(definition)
    return fold_spaces(" ".join(parts))


def tag_kind(name: str) -> str:
    """ "module" for IU01–IU06, "difficulty" for dễ/trung bình/khó (or easy/medium/hard)."""
    if MODULE_TAG.match(name):
        return "module"
    if fold_spaces(name) in DIFFICULTY_TAGS:
        return "difficulty"
    return "free"


def canonical_tag(name: str) -> str:
    """One spelling per tag: "iu03" -> "IU03", "de"/"Easy" -> "dễ"; others NFC and trimmed."""
    name = " ".join(nfc(name).split())
    if MODULE_TAG.match(name):
        return name.upper()
    return DIFFICULTY_TAGS.get(fold(name).strip(), name)
