"""Vietnamese text rules: name ordering and accent-insensitive folding. Pure functions.

Vietnamese lists are ordered by given name (the last word), then by family and middle names.
Letters follow the Vietnamese alphabet (A < Ă < Â < B < C < D < Đ < E < Ê …), which plain
Unicode ordering gets wrong, and tones are a secondary level inside a word
(a < à < ả < ã < á < ạ): "Anh" sorts before "Ánh", and both before "Ăn".
"""

import functools
import unicodedata

_ALPHABET = list("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
_LETTER_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}

# Combining marks that make a different letter (ă, â, ê, ô, ơ, ư) versus tone marks.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
# Tone order: level, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case and strip every diacritic (đ becomes d): "Tin Học" -> "tin hoc"."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def fold_spaces(text: str) -> str:
    """:func:`fold` with runs of whitespace collapsed, for duplicate detection."""
    return " ".join(fold(text).split())


@functools.lru_cache(maxsize=65536)
def _word_key(word: str) -> tuple[tuple, tuple]:
    """(letters, tones) for one word, letters ranked in Vietnamese order. Cached: names share
    few words (Nguyễn, Thị, Văn …), and monitors and boards sort thousands of them every
    second."""
    letters: list[tuple[int, int]] = []
    tones: list[int] = []
    for ch in nfc(word.casefold()):
        parts = unicodedata.normalize("NFD", ch)
        base = parts[0]
        marks = parts[1:]
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _LETTER_MARKS))
        tone = next((_TONE_RANK[m] for m in marks if m in _TONE_RANK), 0)
        rank = _LETTER_RANK.get(letter)
        # Letters first in alphabet order; digits and other characters before them by code point.
        letters.append((1, rank) if rank is not None else (0, ord(letter[0])))
        tones.append(tone)
    return tuple(letters), tuple(tones)


def text_sort_key(text: str) -> tuple:
    """Order any Vietnamese text: letters first, tones second, then the exact text."""
    words = text.split()
    primary = tuple(_word_key(word)[0] for word in words)
    secondary = tuple(_word_key(word)[1] for word in words)
    return primary, secondary, text


def split_name(full_name: str) -> tuple[str, str]:
    """("Nguyễn Văn An") -> ("An", "Nguyễn Văn"): the given name and the rest."""
    words = full_name.split()
    if not words:
        return "", ""
    return words[-1], " ".join(words[:-1])


def name_sort_key(full_name: str) -> tuple:
    """Sort key for a person's full name: given name, then family and middle names."""
    given, rest = split_name(nfc(full_name))
    return text_sort_key(given), text_sort_key(rest), full_name


def sorted_by_name(items, key=lambda item: item):
    """Sort ``items`` by the Vietnamese order of ``key(item)``, a full name."""
    return sorted(items, key=lambda item: name_sort_key(key(item)))
