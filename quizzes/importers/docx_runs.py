"""Reading a .docx body as the question parser needs it: paragraphs (table cells included)
in reading order, each as formatted text spans with images, plus its automatic numbering.

python-docx exposes runs but neither the effective numbering format of a paragraph nor
images inside runs, so this walks the WordprocessingML elements directly.
"""

import re
from dataclasses import dataclass, field

from docx.oxml.ns import qn

from contest.vietnamese import nfc

_RED = re.compile(r"^([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})$")
_FALSE = {"0", "false", "off"}
_DECIMAL_FORMATS = {"decimal", "decimalZero", "decimalEnclosedParen", "decimalEnclosedFullstop", "ordinal"}
_LETTER_FORMATS = {"upperLetter", "lowerLetter"}
_BLIP = qn("a:blip")
_IMAGEDATA = "{urn:schemas-microsoft-com:vml}imagedata"


@dataclass(frozen=True)
class Span:
    """A run of text with its marks ("bold", "italic", "underline", "red", "highlight",
    "sub", "sup"), or an image: ``image`` = (key, (bytes, content_type, file name))."""

    text: str
    marks: frozenset = frozenset()
    image: tuple | None = None


@dataclass
class Paragraph:
    number: int  # 1-based, in reading order
    spans: list[Span]
    numbering: str | None = None  # "decimal", "letter" or None
    level: int = 0

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)

    @property
    def has_image(self) -> bool:
        return any(span.image for span in self.spans)

    def spans_from(self, offset: int) -> list[Span]:
        """The spans after the first ``offset`` characters (e.g. after "Câu 1:")."""
        out, position = [], 0
        for span in self.spans:
            end = position + len(span.text)
            if span.image and position >= offset:
                out.append(span)
            elif end > offset:
                out.append(Span(span.text[max(0, offset - position) :], span.marks))
            position = end
        return out


@dataclass
class Block:
    paragraph: Paragraph | None = None
    table: list[list[list[Paragraph]]] | None = None  # rows -> cells -> paragraphs


@dataclass
class _Reader:
    document: object
    count: int = 0
    images: int = 0
    formats: dict = field(default_factory=dict)

    def blocks(self) -> list[Block]:
        out = []
        for child in self.document.element.body.iterchildren():
            if child.tag == qn("w:p"):
                out.append(Block(paragraph=self.paragraph(child)))
            elif child.tag == qn("w:tbl"):
                out.append(Block(table=self.table(child)))
        return out

    def table(self, tbl) -> list[list[list[Paragraph]]]:
        rows = []
        for tr in tbl.iterchildren(qn("w:tr")):
            # Nested tables are flattened into their cell's paragraphs.
            rows.append(
                [[self.paragraph(p) for p in tc.iter(qn("w:p"))] for tc in tr.iterchildren(qn("w:tc"))]
            )
        return rows

    def paragraph(self, p) -> Paragraph:
        self.count += 1
        spans = [span for run in p.iter(qn("w:r")) for span in self.run(run)]
        numbering, level = self.numbering(p)
        return Paragraph(self.count, spans, numbering, level)

    def run(self, r) -> list[Span]:
        marks = _marks(r.find(qn("w:rPr")))
        spans = []
        for child in r.iterchildren():
            if child.tag == qn("w:t"):
                spans.append(Span(nfc(child.text or ""), marks))
            elif child.tag == qn("w:tab"):
                spans.append(Span("\t", marks))
            elif child.tag in {qn("w:br"), qn("w:cr")}:
                spans.append(Span("\n", marks))
            elif child.tag in {qn("w:drawing"), qn("w:pict"), qn("w:object")}:
                spans.extend(self.images_in(child))
        return spans

    def images_in(self, element) -> list[Span]:
        spans = []
        for node in element.iter(_BLIP, _IMAGEDATA):
            rel_id = node.get(qn("r:embed")) if node.tag == _BLIP else node.get(qn("r:id"))
            part = self.document.part.related_parts.get(rel_id) if rel_id else None
            if part is None or not hasattr(part, "blob"):
                continue
            self.images += 1
            name = str(getattr(part, "partname", "")).rsplit("/", 1)[-1]
            key = f"docx-image-{self.images}"
            spans.append(Span("", frozenset(), (key, (part.blob, part.content_type, name))))
        return spans

    def numbering(self, p) -> tuple[str | None, int]:
        num_pr = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is None:
            num_pr = self.style_numbering(p)
        if num_pr is None:
            return None, 0
        num_id = _val(num_pr.find(qn("w:numId")))
        level = int(_val(num_pr.find(qn("w:ilvl"))) or 0)
        if not num_id or num_id == "0":
            return None, 0
        return self.format_of(num_id, level), level

    def style_numbering(self, p):
        style_id = _val(p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}"))
        seen = set()
        styles = self.document.styles.element
        while style_id and style_id not in seen:
            seen.add(style_id)
            style = next(
                (s for s in styles.iterchildren(qn("w:style")) if s.get(qn("w:styleId")) == style_id), None
            )
            if style is None:
                return None
            num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if num_pr is not None:
                return num_pr
            style_id = _val(style.find(qn("w:basedOn")))
        return None

    def format_of(self, num_id: str, level: int) -> str | None:
        if (num_id, level) not in self.formats:
            self.formats[(num_id, level)] = self._lookup_format(num_id, level)
        return self.formats[(num_id, level)]

    def _lookup_format(self, num_id: str, level: int) -> str | None:
        try:
            numbering = self.document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return None
        num = next((n for n in numbering.iterchildren(qn("w:num")) if n.get(qn("w:numId")) == num_id), None)
        if num is None:
            return None
        lvl = None
        for override in num.iterchildren(qn("w:lvlOverride")):
            if override.get(qn("w:ilvl")) == str(level) and override.find(qn("w:lvl")) is not None:
                lvl = override.find(qn("w:lvl"))
        if lvl is None:
            abstract_id = _val(num.find(qn("w:abstractNumId")))
            abstract = next(
                (
                    a
                    for a in numbering.iterchildren(qn("w:abstractNum"))
                    if a.get(qn("w:abstractNumId")) == abstract_id
                ),
                None,
            )
            if abstract is None:
                return None
            lvl = next(
                (item for item in abstract.iterchildren(qn("w:lvl")) if item.get(qn("w:ilvl")) == str(level)),
                None,
            )
        fmt = _val(lvl.find(qn("w:numFmt"))) if lvl is not None else None
        if fmt in _LETTER_FORMATS:
            return "letter"
        if fmt in _DECIMAL_FORMATS:
            return "decimal"
        return None


def read_blocks(document) -> list[Block]:
    """The body of a python-docx ``Document`` as paragraphs and tables, in reading order."""
    return _Reader(document).blocks()


def _val(element) -> str | None:
    return element.get(qn("w:val")) if element is not None else None


def _on(element) -> bool:
    return element is not None and (element.get(qn("w:val")) or "true").lower() not in _FALSE


def _marks(rpr) -> frozenset:
    if rpr is None:
        return frozenset()
    marks = set()
    if _on(rpr.find(qn("w:b"))):
        marks.add("bold")
    if _on(rpr.find(qn("w:i"))):
        marks.add("italic")
    underline = rpr.find(qn("w:u"))
    if underline is not None and (underline.get(qn("w:val")) or "single") != "none":
        marks.add("underline")
    highlight = _val(rpr.find(qn("w:highlight")))
    if highlight and highlight != "none":
        marks.add("highlight")
    match = _RED.match(_val(rpr.find(qn("w:color"))) or "")
    if match:
        red, green, blue = (int(part, 16) for part in match.groups())
        if red >= 0xB0 and green <= 0x60 and blue <= 0x60:
            marks.add("red")
    vertical = _val(rpr.find(qn("w:vertAlign")))
    if vertical == "superscript":
        marks.add("sup")
    elif vertical == "subscript":
        marks.add("sub")
    return frozenset(marks)
