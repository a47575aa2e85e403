"""Building .docx files for the Word importer tests with python-docx, including Word's
automatic list numbering (numPr) and run formatting, the way organisers' files look."""

import io
import struct
import zlib

import docx
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import RGBColor


def tiny_png() -> bytes:
    """A valid 1×1 red PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


class DocBuilder:
    def __init__(self):
        self.document = docx.Document()
        self._numbering_ids = {}

    def para(self, *runs, numbering: tuple[str, int] | None = None):
        """``runs``: strings, or (text, {"bold"|"underline"|"red"|"highlight"|"italic"}) pairs."""
        paragraph = self.document.add_paragraph()
        self._fill(paragraph, runs)
        if numbering:
            self._number(paragraph, *numbering)
        return paragraph

    def image(self, data: bytes | None = None):
        paragraph = self.document.add_paragraph()
        paragraph.add_run().add_picture(io.BytesIO(data or tiny_png()))
        return paragraph

    def table(self, rows: list[list[str | tuple]], numbering: tuple[str, int] | None = None):
        table = self.document.add_table(rows=len(rows), cols=len(rows[0]))
        for row, cells in zip(table.rows, rows, strict=True):
            for cell, content in zip(row.cells, cells, strict=True):
                paragraph = cell.paragraphs[0]
                self._fill(paragraph, [content])
                if numbering:
                    self._number(paragraph, *numbering)
        return table

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    def _fill(self, paragraph, runs):
        for item in runs:
            text, marks = (item, set()) if isinstance(item, str) else item
            run = paragraph.add_run(text)
            run.bold = "bold" in marks or None
            run.italic = "italic" in marks or None
            run.underline = "underline" in marks or None
            if "red" in marks:
                run.font.color.rgb = RGBColor(0xFF, 0x00, 0x00)
            if "highlight" in marks:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW

    def _number(self, paragraph, name: str, level: int):
        """Attach automatic numbering: ``name`` "questions" (Câu %1. / %2.) or "letters"."""
        num_id = self._numbering(name)
        p_pr = paragraph._p.get_or_add_pPr()
        p_pr.append(
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
            )
        )

    def _numbering(self, name: str) -> int:
        if name in self._numbering_ids:
            return self._numbering_ids[name]
        numbering = self.document.part.numbering_part.element
        abstract_id = 900 + len(self._numbering_ids)
        num_id = 900 + len(self._numbering_ids)
        levels = {
            "questions": [("decimal", "Câu %1."), ("upperLetter", "%2.")],
            "letters": [("upperLetter", "%1."), ("lowerLetter", "%2)")],
        }[name]
        lvls = "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/></w:lvl>'
            for i, (fmt, text) in enumerate(levels)
        )
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>'
        )
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
            )
        )
        self._numbering_ids[name] = num_id
        return num_id
