"""Question-bank exporters, one module per format; each round-trips with its importer.

Text formats (:data:`TEXT_FORMATS`) return ``(text, skipped questions)`` from
``export_<format>(bank)``; .xlsx writes to a path or stream (``export_xlsx(bank, out)``)
and returns the skipped questions. Exporters are loaded lazily by dotted path, like the
importers, so openpyxl is imported only for .xlsx.
"""

from django.utils.module_loading import import_string

EXPORTERS = {
    "gift": "quizzes.exporters.gift.export_gift",
    "aiken": "quizzes.exporters.aiken.export_aiken",
    "moodlexml": "quizzes.exporters.moodlexml.export_moodlexml",
    "xlsx": "quizzes.exporters.xlsx.export_xlsx",
}
FORMATS = tuple(EXPORTERS)
TEXT_FORMATS = ("gift", "aiken", "moodlexml")
EXTENSIONS = {"gift": ".gift", "aiken": ".txt", "moodlexml": ".xml", "xlsx": ".xlsx"}


def export_text(bank, fmt: str) -> tuple[str, list]:
    """(text, questions the format cannot represent) for a text format; ValueError otherwise."""
    if fmt not in TEXT_FORMATS:
        raise ValueError(f"{fmt!r} is not a text export format")
    return import_string(EXPORTERS[fmt])(bank)


def export_file(bank, fmt: str, out) -> list:
    """Write ``bank`` in ``fmt`` to ``out`` (a path or a binary stream); returns skipped questions."""
    if fmt == "xlsx":
        return import_string(EXPORTERS["xlsx"])(bank, out)
    text, skipped = export_text(bank, fmt)
    data = text.encode("utf-8")
    if hasattr(out, "write"):
        out.write(data)
    else:
        with open(out, "wb") as handle:
            handle.write(data)
    return skipped
