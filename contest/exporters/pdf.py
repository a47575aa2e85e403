"""Official printable documents as PDF: the result list, the prize list, and certificates.

Made with fpdf2 in pure Python (no system libraries to install) and the DejaVu Serif fonts
shipped in static/fonts/ under their licence, which cover every Vietnamese letter and tone.
Every string is NFC-normalised first: the fonts have glyphs for the composed letters, and a
decomposed "ễ" would otherwise print as "e" with loose marks.

The layout follows the conventions of Vietnamese administrative documents (Nghị định
30/2020/NĐ-CP): the issuing body top left, the national title and motto top right, the place
and date in italics under the motto ("Hà Nội, ngày 05 tháng 01 năm 2026": a zero before days
under 10 and the months 1 and 2), a bold upper-case title, and signature blocks at the end
("TM. BAN GIÁM KHẢO / TRƯỞNG BAN"). The ranked table repeats its header row on every page.

Output is deterministic for the same input: the creation date is the document's own date.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from contest.exporters.certificate_art import draw_border, draw_qr
from contest.exporters.tables import Kind, Table, format_value

FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"
FONT = "DejaVuSerif"
_FONT_FILES = {
    "": "DejaVuSerif.ttf",
    "B": "DejaVuSerif-Bold.ttf",
    "I": "DejaVuSerif-Italic.ttf",
}
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RED = (170, 20, 25)
NAVY = (20, 45, 100)
BLACK = (0, 0, 0)
HEADER_FILL = (232, 232, 232)
TABLE_FONT_SIZE = 9.5
SIGNATURE_HEIGHT = 52  # mm: titles, room to sign and the name
ROWS_KEPT_WITH_SIGNATURES = 3
CELL_PADDING_X = 1.5
_ALIGN = {Kind.TEXT: "LEFT", Kind.DECIMAL: "RIGHT"}  # everything else centred


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def vietnamese_date(place: str, day: date) -> str:
    """ "Hà Nội, ngày 05 tháng 01 năm 2026": zero-padded days under 10 and months 1–2 only."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return _("%(place)s, ngày %(day)02d tháng %(month)s năm %(year)d") % {
        "place": place,
        "day": day.day,
        "month": month,
        "year": day.year,
    }


@dataclass(frozen=True, slots=True)
class Signatory:
    """One signature block: e.g. on_behalf "TM. BAN GIÁM KHẢO", title "TRƯỞNG BAN", the name.

    Without a name the block says "(Ký, ghi rõ họ tên)" so the signer writes it by hand.
    """

    title: str
    on_behalf: str = ""
    name: str = ""


@dataclass(frozen=True, slots=True)
class Letterhead:
    """Who issues the document and when: the superior body above the issuing one, as printed."""

    parent_body: str  # may hold a line break where it should wrap: "Liên đoàn Lao động\nThành phố Hà Nội"
    issuing_body: str
    issued_on: date
    place: str = "Hà Nội"
    reference: str = ""  # the document number, e.g. "Số: 12/KQ-BTC"


@dataclass(frozen=True, slots=True)
class OfficialDocument:
    letterhead: Letterhead
    title: str
    subtitle: tuple[str, ...] = ()
    signatories: tuple[Signatory, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PrizeSection:
    """One part of the prize list, e.g. heading "Giải Nhất" and the table of its winners."""

    heading: str
    table: Table


class _Pdf(FPDF):
    """A4 with the shipped fonts, page numbers in the footer, and a fixed creation date."""

    def __init__(self, *, landscape: bool = False, issued_on: date, numbered: bool = True):
        super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
        for style, file_name in _FONT_FILES.items():
            self.add_font(FONT, style, str(FONT_DIR / file_name))
        self.set_creation_date(datetime.combine(issued_on, time(), tzinfo=UTC))
        self.set_creator("Hội Thi")
        self.numbered = numbered
        self.set_margins(left=25, top=18, right=15)
        self.set_auto_page_break(auto=True, margin=18)

    def finish(self) -> bytes:
        data = bytes(self.output())
        self.close_fonts()
        return data

    def close_fonts(self) -> None:
        """fpdf2 keeps each font file open until output, and only closes the ones it embedded;
        close them all, also for a draft that is thrown away."""
        for font in self.fonts.values():
            close = getattr(font, "close", None)
            if close is not None:
                close()

    def footer(self):
        if not self.numbered:
            return
        self.set_y(-12)
        self.set_font(FONT, "I", 8)
        self.cell(0, 5, _("Trang %(page)s/%(pages)s") % {"page": self.page_no(), "pages": "{nb}"}, align="C")

    def font(self, style: str = "", size: float = 12, color=BLACK):
        self.set_font(FONT, style, size)
        self.set_text_color(*color)

    def line_of(
        self,
        text: str,
        *,
        style: str = "",
        size: float = 12,
        height: float | None = None,
        color=BLACK,
        x=None,
        w=0,
    ):
        """A centred (possibly wrapping) line at the current position, then down."""
        self.font(style, size, color)
        if x is not None:
            self.set_x(x)
        self.multi_cell(w, height or size * 0.5, nfc(text), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def underline_last(self, text: str, *, x_centre: float, style: str, size: float, share: float = 1.0):
        """A short rule under a centred heading, as under the motto."""
        self.set_font(FONT, style, size)
        width = self.get_string_width(nfc(text)) * share
        self.set_line_width(0.3)
        self.set_draw_color(*BLACK)
        y = self.get_y() + 0.6
        self.line(x_centre - width / 2, y, x_centre + width / 2, y)


def _letterhead(pdf: _Pdf, head: Letterhead) -> None:
    top = pdf.t_margin
    left_w, right_x = 72.0, pdf.l_margin + 72.0
    right_w = pdf.w - pdf.r_margin - right_x
    pdf.set_y(top)
    pdf.line_of(head.parent_body.upper(), size=11, height=5.5, x=pdf.l_margin, w=left_w)
    pdf.line_of(head.issuing_body.upper(), style="B", size=11, height=5.5, x=pdf.l_margin, w=left_w)
    pdf.underline_last(
        head.issuing_body.upper(), x_centre=pdf.l_margin + left_w / 2, style="B", size=11, share=0.35
    )
    if head.reference:
        pdf.set_y(pdf.get_y() + 2)
        pdf.line_of(head.reference, size=11, height=5.5, x=pdf.l_margin, w=left_w)
    left_bottom = pdf.get_y()

    pdf.set_y(top)
    pdf.line_of(NATION, style="B", size=11, height=5.5, x=right_x, w=right_w)
    pdf.line_of(MOTTO, style="B", size=12, height=5.5, x=right_x, w=right_w)
    pdf.underline_last(MOTTO, x_centre=right_x + right_w / 2, style="B", size=12)
    pdf.set_y(pdf.get_y() + 3)
    pdf.line_of(
        vietnamese_date(head.place, head.issued_on), style="I", size=11, height=5.5, x=right_x, w=right_w
    )
    pdf.set_y(max(left_bottom, pdf.get_y()) + 8)


def _title(pdf: _Pdf, document: OfficialDocument) -> None:
    pdf.line_of(document.title.upper(), style="B", size=14, height=7)
    for line in document.subtitle:
        pdf.line_of(line, style="B", size=12, height=6)
    pdf.set_y(pdf.get_y() + 4)


def _col_widths(pdf: _Pdf, table: Table, available: float) -> list[float]:
    """Widths that fit the page: number and date columns keep their natural width (they must
    not wrap), text columns share the rest, each getting at most what it needs, at least its
    longest word, and any width left over spread over them in proportion."""
    pdf.set_font(FONT, "B", TABLE_FONT_SIZE)
    header_words = [
        max(pdf.get_string_width(w) for w in (nfc(c.header).split() or [""])) for c in table.columns
    ]
    natural_header = [pdf.get_string_width(nfc(c.header)) for c in table.columns]
    natural = list(natural_header)
    pdf.set_font(FONT, "", TABLE_FONT_SIZE)
    longest_word = list(header_words)
    for row in table.rows[:300]:
        for index, (column, value) in enumerate(zip(table.columns, row, strict=True)):
            text = _cell_text(value, column.kind)
            natural[index] = max(natural[index], pdf.get_string_width(text))
            if column.kind is Kind.TEXT and text:
                longest_word[index] = max(
                    longest_word[index], max(pdf.get_string_width(w) for w in text.split() or [""])
                )
    pad = 2 * CELL_PADDING_X + 0.5
    widths = [0.0] * len(table.columns)
    text_columns = []
    for index, column in enumerate(table.columns):
        if column.kind is Kind.TEXT:
            text_columns.append(index)
        else:
            # Numbers and dates never wrap; a long header wraps at word boundaries instead.
            # Their header may wrap, to two lines at most.
            header = max(header_words[index], natural_header[index] / 2)
            widths[index] = max(header, _natural_value_width(pdf, table, index)) + pad
    room = available - sum(widths)
    # Water-filling: columns that need less than a fair share get what they need; the rest split what is left.
    pending = sorted(text_columns, key=lambda i: natural[i])
    while pending:
        share = room / len(pending)
        index = pending[0]
        want = natural[index] + pad
        if want <= share:
            widths[index] = want
            room -= want
            pending.pop(0)
            continue
        for index in pending:
            widths[index] = max(share, longest_word[index] + pad)
        room = 0
        break
    if room > 0 and text_columns:
        for index in text_columns:
            widths[index] += room / len(text_columns)
    overflow = sum(widths) - available + 0.01  # a hundredth of a mm absorbs float rounding
    if overflow > 0.01 and text_columns:
        # One long unbreakable word (a URL typed as a name) must not push the table off the
        # page: the text columns give up the excess in proportion, and the word wraps inside.
        text_total = sum(widths[index] for index in text_columns)
        for index in text_columns:
            widths[index] -= overflow * widths[index] / text_total
    return widths


def _natural_value_width(pdf: _Pdf, table: Table, index: int) -> float:
    column = table.columns[index]
    return max(
        (pdf.get_string_width(_cell_text(row[index], column.kind)) for row in table.rows[:300]),
        default=0.0,
    )


def _cell_text(value: object, kind: Kind) -> str:
    """Printed documents use the Vietnamese decimal comma (9,75); CSV keeps the point for machines."""
    text = nfc(format_value(value, kind))
    return text.replace(".", ",") if kind is Kind.DECIMAL else text


def _table(pdf: _Pdf, table: Table, *, keep_last: int = 0) -> None:
    """The table with its header row repeated on every page. With ``keep_last``, that many
    final rows go on a new page (under a repeated header) so the signatures have company."""
    if 0 < keep_last < len(table.rows):
        _grid(pdf, replace(table, rows=table.rows[:-keep_last]))
        pdf.add_page()
        _grid(pdf, replace(table, rows=table.rows[-keep_last:]))
    else:
        _grid(pdf, table)


def _grid(pdf: _Pdf, table: Table) -> None:
    available = pdf.w - pdf.l_margin - pdf.r_margin
    widths = _col_widths(pdf, table, available)
    pdf.font("", TABLE_FONT_SIZE)
    with pdf.table(
        col_widths=widths,
        width=sum(widths),
        text_align=tuple(_ALIGN.get(column.kind, "CENTER") for column in table.columns),
        headings_style=FontFace(emphasis="BOLD", fill_color=HEADER_FILL),
        line_height=4.8,
        padding=(1.0, CELL_PADDING_X),
        repeat_headings=1,
    ) as grid:
        heading = grid.row()
        for column in table.columns:
            heading.cell(nfc(column.header), align="CENTER")
        for values in table.rows:
            row = grid.row()
            for column, value in zip(table.columns, values, strict=True):
                row.cell(_cell_text(value, column.kind))


def _signatures(pdf: _Pdf, signatories: Sequence[Signatory]) -> None:
    """Draw the signature blocks, on a new page if they do not fit whole on this one."""
    if not signatories:
        return
    if pdf.get_y() + SIGNATURE_HEIGHT > pdf.h - pdf.b_margin:
        pdf.add_page()
    available = pdf.w - pdf.l_margin - pdf.r_margin
    # One signer signs on the right, as in every administrative document; several share the width.
    count = len(signatories)
    width = available / 2 if count == 1 else available / count
    start = pdf.l_margin + (available / 2 if count == 1 else 0)
    top = pdf.get_y() + 6
    for index, signer in enumerate(signatories):
        x = start + index * width
        pdf.set_y(top)
        if signer.on_behalf:
            pdf.line_of(signer.on_behalf.upper(), style="B", size=11.5, height=5.5, x=x, w=width)
        pdf.line_of(signer.title.upper(), style="B", size=11.5, height=5.5, x=x, w=width)
        if not signer.name:
            pdf.line_of(_("(Ký, ghi rõ họ tên)"), style="I", size=10, height=5, x=x, w=width)
        pdf.set_y(top + 36)
        if signer.name:
            pdf.line_of(signer.name, style="B", size=12, height=6, x=x, w=width)


def _notes(pdf: _Pdf, notes: Sequence[str]) -> None:
    pdf.font("I", 10.5)
    for note in notes:
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(0, 5.5, nfc(note), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _new_document(document: OfficialDocument) -> _Pdf:
    pdf = _Pdf(issued_on=document.letterhead.issued_on)
    pdf.set_title(nfc(document.title))
    pdf.add_page()
    _letterhead(pdf, document.letterhead)
    _title(pdf, document)
    return pdf


def _with_signatures(document: OfficialDocument, draw_body: Callable[[_Pdf, int], None]) -> bytes:
    """Draw the body, then notes and signatures. A signature page with nothing of the list on it
    is worthless (anything could be stapled in front of it), so when the notes and signatures
    would start a page of their own, the document is drawn again with the last rows of the last
    table moved to that page: ``draw_body(pdf, keep)`` puts ``keep`` rows there."""
    pdf, alone = _draw(document, draw_body, keep=0)
    if alone:
        pdf.close_fonts()
        pdf, _ = _draw(document, draw_body, keep=ROWS_KEPT_WITH_SIGNATURES)
    return pdf.finish()


def _draw(
    document: OfficialDocument, draw_body: Callable[[_Pdf, int], None], *, keep: int
) -> tuple[_Pdf, bool]:
    """One pass; True when the notes and signatures ended on a later page than the body."""
    pdf = _new_document(document)
    draw_body(pdf, keep)
    body_ends_on = pdf.page
    pdf.set_y(pdf.get_y() + 3)
    _notes(pdf, document.notes)
    _signatures(pdf, document.signatories)
    return pdf, pdf.page > body_ends_on


def render_result_list(document: OfficialDocument, table: Table) -> bytes:
    """The official result list: letterhead, title, the ranked table, notes, signatures."""
    table.check()
    return _with_signatures(document, lambda pdf, keep: _table(pdf, table, keep_last=keep))


def _roman(number: int) -> str:
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in numerals:
        while number >= value:
            out += letters
            number -= value
    return out


def render_prize_list(document: OfficialDocument, sections: Sequence[PrizeSection]) -> bytes:
    """The prize list: one numbered section per prize level, each with its winners' table."""
    for section in sections:
        section.table.check()

    def body(pdf: _Pdf, keep: int) -> None:
        for number, section in enumerate(sections, start=1):
            if pdf.get_y() + 25 > pdf.h - pdf.b_margin:
                pdf.add_page()
            pdf.font("B", 12)
            pdf.set_x(pdf.l_margin)
            heading = f"{_roman(number)}. {nfc(section.heading).upper()} ({len(section.table.rows)})"
            pdf.cell(0, 7, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_y(pdf.get_y() + 1)
            _table(pdf, section.table, keep_last=keep if number == len(sections) else 0)
            pdf.set_y(pdf.get_y() + 5)

    return _with_signatures(document, body)


# -- Certificates -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Certificate:
    """One giấy chứng nhận. ``recipient_label`` is "Ông/Bà" for a person, "Đội" for a team.

    ``verification_url`` is what the QR code holds: the public page that confirms the name,
    prize and edition. ``serial`` is printed so a paper copy can be checked by hand too.
    """

    recipient_label: str
    recipient: str
    unit: str
    prize: str
    edition: str
    issuer: str
    issued_on: date
    signatory: Signatory
    verification_url: str
    serial: str = ""
    place: str = "Hà Nội"
    achievement: str = ""  # empty: "Đã đạt", translated when the page is drawn


def _certificate_page(pdf: _Pdf, cert: Certificate) -> None:
    pdf.add_page()
    draw_border(pdf, red=RED)
    width = pdf.w
    inner = 36.0  # text stays clear of the border
    text_w = width - 2 * inner

    pdf.set_y(20)
    pdf.line_of(NATION, style="B", size=12.5, height=6, x=inner, w=text_w)
    pdf.line_of(MOTTO, style="B", size=13, height=6, x=inner, w=text_w)
    pdf.underline_last(MOTTO, x_centre=width / 2, style="B", size=13)
    pdf.set_y(37)
    pdf.line_of(cert.issuer.upper(), style="B", size=13, height=6.5, x=inner, w=text_w, color=NAVY)
    pdf.set_y(47)
    pdf.line_of(_("GIẤY CHỨNG NHẬN"), style="B", size=36, height=16, x=inner, w=text_w, color=RED)
    pdf.set_y(68)
    pdf.line_of(
        _("Chứng nhận %(label)s:") % {"label": cert.recipient_label},
        style="I",
        size=15,
        height=8,
        x=inner,
        w=text_w,
    )
    pdf.line_of(cert.recipient, style="B", size=26, height=13, x=inner, w=text_w, color=NAVY)
    if cert.unit:
        pdf.line_of(_("Đơn vị: %(unit)s") % {"unit": cert.unit}, size=14, height=7.5, x=inner, w=text_w)
    pdf.set_y(pdf.get_y() + 3)
    pdf.line_of(cert.achievement or _("Đã đạt"), style="I", size=14, height=7, x=inner, w=text_w)
    pdf.line_of(cert.prize.upper(), style="B", size=22, height=11, x=inner, w=text_w, color=RED)
    pdf.line_of(
        _("tại %(edition)s") % {"edition": cert.edition}, style="B", size=14, height=7.5, x=inner, w=text_w
    )

    # Signature block bottom right, verification bottom left.
    block_x, block_w, block_top = width / 2 + 10, width / 2 - 36, 140.0
    pdf.set_y(block_top)
    pdf.line_of(
        vietnamese_date(cert.place, cert.issued_on), style="I", size=12, height=6, x=block_x, w=block_w
    )
    if cert.signatory.on_behalf:
        pdf.line_of(cert.signatory.on_behalf.upper(), style="B", size=12, height=6, x=block_x, w=block_w)
    pdf.line_of(cert.signatory.title.upper(), style="B", size=12, height=6, x=block_x, w=block_w)
    if cert.signatory.name:
        pdf.set_y(block_top + 40)
        pdf.line_of(cert.signatory.name, style="B", size=13, height=6.5, x=block_x, w=block_w)

    qr_size, qr_x, qr_y = 27.0, 30.0, 152.0
    draw_qr(pdf, cert.verification_url, x=qr_x, y=qr_y, size=qr_size)
    pdf.set_y(qr_y + qr_size + 0.8)
    pdf.line_of(_("Quét mã để xác minh"), style="I", size=8, height=3.8, x=qr_x - 8, w=qr_size + 16)
    if cert.serial:
        pdf.line_of(
            _("Số: %(serial)s") % {"serial": cert.serial}, size=8, height=3.8, x=qr_x - 8, w=qr_size + 16
        )


def render_certificates(certificates: Sequence[Certificate]) -> bytes:
    """All certificates in one PDF, one A4 landscape page each, in the order given."""
    if not certificates:
        raise ValueError(_("Không có giấy chứng nhận nào để in."))
    pdf = _Pdf(landscape=True, issued_on=certificates[0].issued_on, numbered=False)
    pdf.set_title(_("Giấy chứng nhận"))
    pdf.set_auto_page_break(auto=False)
    for cert in certificates:
        _certificate_page(pdf, cert)
    return pdf.finish()
