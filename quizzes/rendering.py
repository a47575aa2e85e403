"""Showing question content in pages: sanitised again on render, ``media:<sha256>`` images
pointed at the authorised media view, and the public form a contestant's page receives.

``public_question`` feeds ``templates/quizzes/_question_public.html``, the one partial that
draws a question as contestants see it (the authoring preview and the server-rendered exam
pages both use it), so the preview cannot drift from the real thing.
"""

import re

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from . import question_types
from .html import sanitise

_MEDIA_REF = re.compile(r'src="media:([0-9a-f]{64})"')


def render_html(html: str, bank_id: int) -> SafeString:
    """``html`` made safe to insert: sanitised, images served by ``quizzes:media``."""
    cleaned = sanitise(html or "")
    return mark_safe(  # noqa: S308 - sanitised just above; only our own URLs are inserted
        _MEDIA_REF.sub(
            lambda match: f'src="{reverse("quizzes:media", args=[bank_id, match.group(1)])}"',
            cleaned,
        )
    )


def public_question(
    *,
    qtype: str,
    stem_html: str,
    definition: dict,
    bank_id: int,
    slot,
    number=None,
    points=None,
    option_order=None,
) -> dict:
    """The context of ``_question_public.html``: no key, no fractions, no feedback.

    ``slot`` names the inputs (``q<slot>``, ``q<slot>-text``, …); ``option_order`` is the
    contestant's shuffled order of option ids (None: as stored; ordering items are then
    sorted by text so the key order is never shown).
    """
    public = question_types.public_definition(qtype, definition, option_order)
    for key in ("options", "items", "prompts"):
        for entry in public.get(key, []):
            entry["html"] = render_html(entry.get("html", ""), bank_id)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for index, option in enumerate(public.get("options", [])):
        option["key"] = letters[index] if index < len(letters) else str(index + 1)
    return {
        "slot": str(slot),
        "number": number,
        "qtype": qtype,
        "stem_html": render_html(stem_html, bank_id),
        "definition": public,
        "points": points,
    }
