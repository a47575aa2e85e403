"""The sanitised HTML subset of question and option texts.

Everything user-written or imported goes through :func:`sanitise` on save and again on
render (the ``|question_html`` filter), so a row written by an older rule, or edited in the
admin, can never carry script into a contestant's page. Images may point only at our own
media: ``media:<key>`` references (the import service stores the image and keys it by SHA-256),
or the authorised media view (``quizzes:media``). Text is normalised to NFC.
"""

import html as stdlib_html
import re
import unicodedata

import nh3

ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "sub", "sup", "s",
    "ul", "ol", "li", "p", "br", "span", "div",
    "table", "thead", "tbody", "tr", "th", "td",
    "img", "code", "pre", "blockquote",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": {"start"},
}
#: Where an <img> may point: media:<key> references and the authorised media view.
_MEDIA_SRC = re.compile(r"^(media:[A-Za-z0-9._-]{1,128}|/ngan-hang/media/[0-9]{1,12}/[0-9a-f]{64}/)$")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if _MEDIA_SRC.match(value) else None
    if attribute in {"width", "height", "colspan", "rowspan", "start"}:
        return value if value.isdigit() and len(value) <= 4 else None
    return value


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def sanitise(html: str) -> str:
    """The allowed subset of ``html``; anything else is dropped (scripts with their content)."""
    if not html:
        return ""
    cleaned = nh3.clean(
        nfc(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes={"media"},
        link_rel=None,
        strip_comments=True,
    )
    # An <img> whose src was refused is useless: drop it rather than show a broken image.
    return re.sub(r"<img(?![^>]*\ssrc=)[^>]*>", "", cleaned)


def text_to_html(text: str) -> str:
    """Plain text as safe HTML: escaped, line breaks kept as <br>."""
    if not text:
        return ""
    escaped = stdlib_html.escape(nfc(text).replace("\r\n", "\n").replace("\r", "\n"), quote=False)
    return escaped.replace("\n", "<br>")


def html_to_text(html: str) -> str:
    """Visible text of ``html`` (tags removed, entities decoded), e.g. for names and search."""
    without_tags = re.sub(r"<br\s*/?>|</p>|</li>|</tr>", " ", html or "", flags=re.IGNORECASE)
    without_tags = re.sub(r"<[^>]*>", "", without_tags)
    return " ".join(stdlib_html.unescape(without_tags).split())


def media_refs(html: str) -> list[str]:
    """The ``media:<key>`` references in ``html``, in order, without repeats."""
    return list(dict.fromkeys(re.findall(r'src="media:([A-Za-z0-9._-]{1,128})"', html or "")))
