"""The English catalogue is complete, keeps every placeholder, and the pages really switch.

Source strings are Vietnamese; English is chosen through the language switcher. A missing
msgstr silently shows Vietnamese to an English reader, and a mistyped placeholder
(``%(nmae)s``) raises KeyError only when that message is finally shown, so both are caught
here, with the project's own PO parser (the one that builds the .mo files).
"""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import trans_real

from contest.management.commands.compile_translations import parse_po

ROOT = Path(__file__).resolve().parents[2]
PO_PATH = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
PO_TEXT = PO_PATH.read_text(encoding="utf-8")
CATALOGUE = parse_po(PO_TEXT)

# %(name)s-style and bare %s/%d conversions; "%%" is a literal percent sign, not a placeholder.
PYTHON_FORMAT = re.compile(r"%(?:\((?P<name>\w+)\))?[#0\- +]*\d*(?:\.\d+)?(?P<conv>[diouxXeEfFgGcrsa%])")
# Other things a translation must carry over untouched: {name} braces and HTML tags.
OTHER_TOKENS = re.compile(r"\{\w*\}|</?[a-zA-Z][^<>]*>")


def python_placeholders(text: str) -> list[str]:
    """Sorted placeholders, each as its full spelling (``%(n)d``), without ``%%``."""
    return sorted(m.group(0) for m in PYTHON_FORMAT.finditer(text) if m.group("conv") != "%")


def placeholders(text: str) -> set[str]:
    return set(python_placeholders(text)) | set(OTHER_TOKENS.findall(text))


def entries():
    """(msgid, [msgstr forms]) for every entry but the header; a plural msgid counts as its
    plural form, which is the one carrying every placeholder."""
    for key, value in CATALOGUE.items():
        if key == "":
            continue
        msgid = key.split("\x04")[-1].split("\0")[-1]
        yield msgid, value.split("\0")


def test_the_catalogue_declares_utf8_and_english_plurals():
    header = CATALOGUE[""]
    assert "charset=UTF-8" in header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header


def test_it_has_no_fuzzy_entries():
    fuzzy = [line for line in PO_TEXT.splitlines() if line.startswith("#,") and "fuzzy" in line]
    assert fuzzy == []


def test_every_msgid_has_a_translation():
    # parse_po drops untranslated and fuzzy entries, so every msgid in the file must survive it.
    msgids = len(re.findall(r"^msgid ", PO_TEXT, flags=re.MULTILINE))
    assert len(CATALOGUE) == msgids, f"{msgids - len(CATALOGUE)} msgid(s) have an empty msgstr"
    empty = [msgid for msgid, forms in entries() if not all(forms)]
    assert empty == []


def test_the_catalogue_is_big_enough_to_be_the_real_one():
    assert len(CATALOGUE) > 1000


def test_every_placeholder_in_a_msgid_appears_in_its_msgstr():
    missing = {
        msgid: sorted(placeholders(msgid) - placeholders(form))
        for msgid, forms in entries()
        for form in forms
        if placeholders(msgid) - placeholders(form)
    }
    assert missing == {}


def test_python_format_strings_have_exactly_the_same_placeholders():
    """Catches typos such as %(nmae)s or %(n)s for %(n)d, which would fail only at run time."""
    different = {
        msgid: (python_placeholders(msgid), python_placeholders(form))
        for msgid, forms in entries()
        if python_placeholders(msgid)
        for form in forms
        if python_placeholders(form) != python_placeholders(msgid)
    }
    assert different == {}


def test_every_python_format_msgstr_formats_without_error():
    for msgid, forms in entries():
        names = {m.group("name") for m in PYTHON_FORMAT.finditer(msgid) if m.group("name")}
        if not names:
            continue
        values = dict.fromkeys(names, 1)
        for form in forms:
            assert form % values, msgid


# --- The pages, in English ------------------------------------------------------------------


@pytest.fixture
def english(client):
    """The compiled catalogue is current, and the client chose English with the switcher."""
    mo_path = PO_PATH.with_suffix(".mo")
    if not mo_path.exists() or mo_path.stat().st_mtime < PO_PATH.stat().st_mtime:
        call_command("compile_translations", verbosity=0)
        trans_real._translations.clear()
        trans_real._default = None
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def test_the_home_page_is_in_english(english):
    html = english.get(reverse("home")).content.decode()
    assert "Log in to take part" in html
    assert "Đăng nhập để dự thi" not in html


def test_the_login_page_is_in_english(english):
    html = english.get(reverse("login")).content.decode()
    assert "Log in" in html
    assert "Username" in html
    assert "Tên đăng nhập" not in html


def test_the_dashboard_is_in_english(english, organiser, edition):
    english.force_login(organiser)
    html = english.get(reverse("dashboard")).content.decode()
    assert "Dashboard" in html
    assert "Log out" in html
    assert "Manage edition" in html
    assert ">Units</a>" in html  # a msgctxt entry: "Đơn vị" as a menu item, not a column
    assert "Quản lý kỳ hội thi" not in html


def test_vietnamese_stays_the_default(client):
    html = client.get(reverse("login")).content.decode()
    assert "Tên đăng nhập" in html
