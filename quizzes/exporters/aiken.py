"""Aiken export: single-choice questions only, as plain text (Aiken has no formatting).

A question fits Aiken when it is single choice, has at most 26 options, exactly one option
worth 100% and the rest 0%, no feedback, and texts without markup or line breaks; anything
else is returned as skipped rather than written with a loss.
"""

import re

from ..html import html_to_text
from .common import export_items

_MARKUP = re.compile(r"<(?!br\b)[a-z]", re.IGNORECASE)


def _plain(html: str) -> str | None:
    """The text of ``html`` if it is plain (no tags), else None."""
    if _MARKUP.search(html) or "<br" in html or "\n" in html:
        return None
    return html_to_text(html)


def export_aiken(bank) -> tuple[str, list]:
    out, skipped = [], []
    for item in export_items(bank):
        text = write_question(item.version)
        if text is None:
            skipped.append(item.question)
        else:
            out.append(text)
    return "\n".join(out), skipped


def write_question(version) -> str | None:
    definition = version.definition
    if version.qtype != "single" or version.general_feedback_html:
        return None
    options = definition["options"]
    fractions = [float(o["fraction"]) for o in options]
    if (
        len(options) > 26
        or sorted(fractions)[-1] != 1.0
        or sorted(fractions)[:-1] != [0.0] * (len(options) - 1)
    ):
        return None
    if any(o.get("feedback") for o in options):
        return None
    texts = [_plain(version.stem_html), *(_plain(o["html"]) for o in options)]
    if any(t is None or not t for t in texts):
        return None
    lines = [texts[0]]
    lines += [f"{chr(ord('A') + i)}) {text}" for i, text in enumerate(texts[1:])]
    lines.append(f"ANSWER: {chr(ord('A') + fractions.index(1.0))}")
    return "\n".join(lines) + "\n"
