"""Refuse zip bombs before anything is inflated: .xlsx and .docx are zip archives.

Only the archive's central directory is read (it lists every entry with its declared
compressed and uncompressed size); no entry is decompressed here. Checking the *declared*
sizes is enough because Python's ``zipfile`` never inflates more than an entry's declared
``file_size`` (it stops there and then fails the CRC check), and both openpyxl and
python-docx read through ``zipfile``. So an archive that lies about its sizes cannot expand
past the limits checked here; one that tells the truth is refused by them.

A 200 MB bomb is refused after reading a few hundred bytes of directory, in milliseconds.
"""

import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

MB = 1024 * 1024


@dataclass(frozen=True)
class ArchiveLimits:
    """Generous for real question files (a 2,000-question workbook is a few MB inflated, a
    Word file with photos some tens of MB) and far below what would hurt the server."""

    max_file_bytes: int = 20 * MB
    max_entries: int = 2000
    max_total_uncompressed: int = 100 * MB
    max_entry_uncompressed: int = 60 * MB
    # Office XML compresses 5-30x; beyond 100x (Apache POI's default) an entry is a bomb.
    # Tiny entries are exempt: a 2 KB run of spaces may legitimately compress 200x.
    max_ratio: float = 100.0
    ratio_exempt_below: int = 1 * MB


DEFAULT_LIMITS = ArchiveLimits()


class ArchiveRefused(ValueError):
    """The file is not an archive we are willing to open; ``str()`` is the translated reason."""


def _mb(size: int) -> str:
    return f"{size / MB:.0f}"


def check_archive(data: bytes, *, kind: str, limits: ArchiveLimits = DEFAULT_LIMITS) -> None:
    """Raise :class:`ArchiveRefused` unless ``data`` is a zip within ``limits``.

    ``kind`` names the file type in messages (".xlsx", ".docx").
    """
    if len(data) > limits.max_file_bytes:
        raise ArchiveRefused(
            _("Tệp %(kind)s quá lớn (%(size)s MB); giới hạn là %(limit)s MB.")
            % {"kind": kind, "size": _mb(len(data)), "limit": _mb(limits.max_file_bytes)}
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ArchiveRefused(
            _("Tệp không phải là tệp %(kind)s hợp lệ (không đọc được cấu trúc nén).") % {"kind": kind}
        ) from exc
    with archive:
        entries = archive.infolist()
    if len(entries) > limits.max_entries:
        raise ArchiveRefused(
            _(
                "Tệp %(kind)s có quá nhiều thành phần (%(count)d; tối đa %(limit)d). Tệp bị từ chối vì nghi là bom nén."
            )
            % {"kind": kind, "count": len(entries), "limit": limits.max_entries}
        )
    total = 0
    total_compressed = 0
    for entry in entries:
        size, compressed = entry.file_size, entry.compress_size
        total += size
        total_compressed += compressed
        if size > limits.max_entry_uncompressed:
            raise ArchiveRefused(
                _(
                    "Thành phần “%(name)s” của tệp %(kind)s giải nén ra %(size)s MB (tối đa %(limit)s MB). "
                    "Tệp bị từ chối vì nghi là bom nén."
                )
                % {
                    "name": entry.filename,
                    "kind": kind,
                    "size": _mb(size),
                    "limit": _mb(limits.max_entry_uncompressed),
                }
            )
        if size >= limits.ratio_exempt_below and size > limits.max_ratio * max(compressed, 1):
            raise ArchiveRefused(
                _(
                    "Thành phần “%(name)s” của tệp %(kind)s nén với tỉ lệ bất thường (%(ratio)d lần). "
                    "Tệp bị từ chối vì nghi là bom nén."
                )
                % {"name": entry.filename, "kind": kind, "ratio": size // max(compressed, 1)}
            )
    if total > limits.max_total_uncompressed:
        raise ArchiveRefused(
            _(
                "Tệp %(kind)s giải nén ra tổng cộng %(size)s MB (tối đa %(limit)s MB). Tệp bị từ chối vì nghi là bom nén."
            )
            % {"kind": kind, "size": _mb(total), "limit": _mb(limits.max_total_uncompressed)}
        )
    if total >= limits.ratio_exempt_below and total > limits.max_ratio * max(total_compressed, 1):
        raise ArchiveRefused(
            _("Tệp %(kind)s nén với tỉ lệ bất thường (%(ratio)d lần). Tệp bị từ chối vì nghi là bom nén.")
            % {"kind": kind, "ratio": total // max(total_compressed, 1)}
        )
