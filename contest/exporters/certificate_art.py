"""Vector drawing for certificates: the decorative border and the verification QR code.

Both are drawn as PDF paths rather than embedded images: they stay sharp at any print size,
add a few kilobytes per page, and need no image library. The QR code comes from segno's module
matrix, the same matrix :func:`qr_matrix` returns, and carries a link annotation to the same URL
so it can also be clicked in a PDF viewer.
"""

from __future__ import annotations

import segno

GOLD = (190, 145, 40)
# Kept light on purpose: the QR code must stay readable and the border must not compete with text.
_OUTER, _INNER = 7.0, 11.5


def qr_matrix(url: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code's dark modules for ``url``, without the quiet zone (error correction M)."""
    code = segno.make(url, error="m", micro=False)
    return tuple(tuple(bool(module) for module in row) for row in code.matrix)


def draw_qr(pdf, url: str, *, x: float, y: float, size: float) -> None:
    """Draw the QR code for ``url`` in a ``size`` mm square (quiet zone included) at (x, y)."""
    matrix = qr_matrix(url)
    quiet = 2  # modules of margin; the white page around the code extends the quiet zone
    module = size / (len(matrix) + 2 * quiet)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    # A tiny overlap closes the hairline seams viewers draw between adjacent rectangles.
    seam = module * 0.04
    for row_index, row in enumerate(matrix):
        top = y + (row_index + quiet) * module
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            left = x + (start + quiet) * module
            pdf.rect(left, top, (column - start) * module + seam, module + seam, style="F")
    pdf.link(x, y, size, size, url)


def _diamond(pdf, cx: float, cy: float, radius: float) -> None:
    pdf.polygon([(cx, cy - radius), (cx + radius, cy), (cx, cy + radius), (cx - radius, cy)], style="F")


def draw_border(pdf, *, red: tuple[int, int, int]) -> None:
    """A double frame with a chain of small gold diamonds between the lines and corner ornaments."""
    width, height = pdf.w, pdf.h
    pdf.set_draw_color(*red)
    pdf.set_line_width(1.4)
    pdf.rect(_OUTER, _OUTER, width - 2 * _OUTER, height - 2 * _OUTER)
    pdf.set_line_width(0.35)
    pdf.rect(_OUTER + 1.6, _OUTER + 1.6, width - 2 * (_OUTER + 1.6), height - 2 * (_OUTER + 1.6))
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.6)
    pdf.rect(_INNER, _INNER, width - 2 * _INNER, height - 2 * _INNER)

    band = (_OUTER + 1.6 + _INNER) / 2  # the middle of the gap between the frames
    pdf.set_fill_color(*GOLD)
    step = 5.0
    span_x = width - 2 * band
    count_x = int(span_x // step)
    for index in range(1, count_x):
        cx = band + index * span_x / count_x
        _diamond(pdf, cx, band, 0.7)
        _diamond(pdf, cx, height - band, 0.7)
    span_y = height - 2 * band
    count_y = int(span_y // step)
    for index in range(1, count_y):
        cy = band + index * span_y / count_y
        _diamond(pdf, band, cy, 0.7)
        _diamond(pdf, width - band, cy, 0.7)

    # Corner ornaments: a red diamond in a gold one, with a short gold flourish along each side.
    for cx, cy, sx, sy in (
        (_INNER, _INNER, 1, 1),
        (width - _INNER, _INNER, -1, 1),
        (_INNER, height - _INNER, 1, -1),
        (width - _INNER, height - _INNER, -1, -1),
    ):
        pdf.set_fill_color(*GOLD)
        _diamond(pdf, cx, cy, 4.2)
        pdf.set_fill_color(*red)
        _diamond(pdf, cx, cy, 2.4)
        pdf.set_draw_color(*GOLD)
        pdf.set_line_width(0.5)
        pdf.line(cx + sx * 5.5, cy + sy * 2.2, cx + sx * 26, cy + sy * 2.2)
        pdf.line(cx + sx * 2.2, cy + sy * 5.5, cx + sx * 2.2, cy + sy * 18)
        pdf.set_fill_color(*GOLD)
        _diamond(pdf, cx + sx * 27.5, cy + sy * 2.2, 1.1)
        _diamond(pdf, cx + sx * 2.2, cy + sy * 19.5, 1.1)
