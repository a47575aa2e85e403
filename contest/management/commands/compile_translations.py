"""Compile every ``locale/*/LC_MESSAGES/*.po`` into ``.mo`` without the gettext tools.

Django's ``compilemessages`` shells out to GNU ``msgfmt``, which a fresh machine may not
have. This does the same for the subset of the PO format we use (msgctxt, plural forms,
multi-line strings); fuzzy entries are skipped, as msgfmt does.
"""

import ast
import struct
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def parse_po(text: str) -> dict[str, str]:
    """Return {msgid (with context and plural joined as gettext stores them): msgstr}."""
    catalogue: dict[str, str] = {}
    entry: dict[str, list[str] | dict] = {}
    fuzzy = False
    current: str | None = None

    def flush():
        nonlocal entry, fuzzy
        if "msgid" in entry and not fuzzy:
            msgid = "".join(entry["msgid"])
            if "msgid_plural" in entry:
                msgid += "\0" + "".join(entry["msgid_plural"])
                plurals = entry.get("plurals", {})
                msgstr = "\0".join("".join(plurals[i]) for i in sorted(plurals))
            else:
                msgstr = "".join(entry.get("msgstr", []))
            if "msgctxt" in entry:
                msgid = "".join(entry["msgctxt"]) + "\x04" + msgid
            if msgstr or msgid == "":
                catalogue[msgid] = msgstr
        entry, fuzzy = {}, False

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                flush()
                fuzzy = True
            continue
        if line.startswith('"'):
            if current is None:
                raise CommandError(f"line {lineno}: string outside an entry")
            value = ast.literal_eval(line)
        else:
            keyword, _, rest = line.partition(" ")
            if keyword not in {"msgctxt", "msgid", "msgid_plural", "msgstr"} and not keyword.startswith(
                "msgstr["
            ):
                raise CommandError(f"line {lineno}: cannot read {raw!r}")
            complete = "msgstr" in entry or "plurals" in entry
            if keyword in {"msgctxt", "msgid"} and complete:
                flush()
            current, value = keyword, ast.literal_eval(rest)
        if current.startswith("msgstr["):
            index = int(current[7:-1])
            entry.setdefault("plurals", {}).setdefault(index, []).append(value)
        else:
            entry.setdefault(current, []).append(value)
    flush()
    return catalogue


def write_mo(catalogue: dict[str, str], path: Path) -> None:
    """Write a GNU .mo file (little-endian, no hash table)."""
    keys = sorted(catalogue)
    ids = [key.encode("utf-8") for key in keys]
    strs = [catalogue[key].encode("utf-8") for key in keys]
    header_size = 7 * 4
    table_size = len(keys) * 8
    ids_offset = header_size + 2 * table_size
    id_table, str_table = [], []
    offset = ids_offset
    for data in ids:
        id_table.append((len(data), offset))
        offset += len(data) + 1
    for data in strs:
        str_table.append((len(data), offset))
        offset += len(data) + 1
    out = struct.pack("<7I", 0x950412DE, 0, len(keys), header_size, header_size + table_size, 0, 0)
    out += b"".join(struct.pack("<2I", *pair) for pair in id_table)
    out += b"".join(struct.pack("<2I", *pair) for pair in str_table)
    out += b"".join(data + b"\0" for data in ids)
    out += b"".join(data + b"\0" for data in strs)
    path.write_bytes(out)


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po -> .mo) without GNU gettext."

    def handle(self, *args, **options):
        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                catalogue = parse_po(po_path.read_text(encoding="utf-8"))
                write_mo(catalogue, po_path.with_suffix(".mo"))
                count += 1
        self.stdout.write(f"Compiled {count} catalogue(s).")
