"""The zip-bomb guard reads only the central directory and refuses before inflating."""

import io
import zipfile

import pytest

from quizzes.importers.archive_guard import ArchiveLimits, ArchiveRefused, check_archive

CHUNK = b"\0" * (1024 * 1024)


@pytest.fixture(scope="module")
def bomb_bytes(tmp_path_factory):
    """A real 200 MB zip bomb named like a workbook entry, built in 1 MB chunks."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            for _ in range(200):
                entry.write(CHUNK)
    return path.read_bytes()


def small_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_it_refuses_a_200_mb_bomb_without_inflating_any_entry(bomb_bytes, monkeypatch):
    def no_inflating(*args, **kwargs):
        raise AssertionError("the guard must not open an entry")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_inflating)
    assert len(bomb_bytes) < 2 * 1024 * 1024
    with pytest.raises(ArchiveRefused) as refused:
        check_archive(bomb_bytes, kind=".xlsx")
    message = str(refused.value)
    assert "bom nén" in message
    assert "sheet1.xml" in message


def test_it_accepts_an_ordinary_office_archive():
    check_archive(small_zip({"word/document.xml": "<w:document>Câu 1</w:document>".encode()}), kind=".docx")


def test_it_refuses_something_that_is_not_a_zip():
    with pytest.raises(ArchiveRefused, match="không phải là tệp .docx hợp lệ"):
        check_archive(b"plain text pretending", kind=".docx")


def test_it_refuses_too_many_entries():
    data = small_zip({f"xl/media/{n}.xml": b"x" for n in range(12)})
    with pytest.raises(ArchiveRefused, match="quá nhiều thành phần"):
        check_archive(data, kind=".xlsx", limits=ArchiveLimits(max_entries=10))


def test_it_refuses_a_file_over_the_size_limit():
    with pytest.raises(ArchiveRefused, match="quá lớn"):
        check_archive(b"PK" + b"x" * 2000, kind=".xlsx", limits=ArchiveLimits(max_file_bytes=1000))


def test_it_refuses_a_total_declared_size_over_the_limit():
    data = small_zip({"a.xml": bytes(range(256)) * 40, "b.xml": bytes(range(256)) * 40})
    limits = ArchiveLimits(max_total_uncompressed=15000, max_entry_uncompressed=15000)
    with pytest.raises(ArchiveRefused, match="tổng cộng"):
        check_archive(data, kind=".xlsx", limits=limits)


def test_it_refuses_an_abnormal_compression_ratio_of_one_entry():
    data = small_zip({"xl/sharedStrings.xml": b"a" * 200_000})
    with pytest.raises(ArchiveRefused, match="tỉ lệ bất thường"):
        check_archive(data, kind=".xlsx", limits=ArchiveLimits(ratio_exempt_below=1000))


def test_small_entries_are_exempt_from_the_ratio_check():
    check_archive(small_zip({"xl/styles.xml": b" " * 50_000}), kind=".xlsx")
