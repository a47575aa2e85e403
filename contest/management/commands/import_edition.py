"""``manage.py import_edition PATH [--slug NEW]``: create an archived edition (see
contest/archive.py) in this instance, all or nothing. Exit 2 for a missing file, 1 when the
archive is unreadable or clashes (its slug exists: give --slug). Audited as ``edition.imported``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.archive import ArchiveError, import_edition

USAGE_ERROR = 2


class Command(BaseCommand):
    help = "Nhập một kỳ thi từ tệp lưu trữ .zip (vào cơ sở dữ liệu trống hoặc với mã kỳ thi chưa có)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp .zip do export_edition tạo")
        parser.add_argument("--slug", default=None, help="Mã kỳ thi mới (mặc định: mã trong tệp)")

    def handle(self, *args, path, slug, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(_("Không tìm thấy tệp %(path)s.") % {"path": path}, returncode=USAGE_ERROR)
        try:
            edition = import_edition(content=file.read_bytes(), slug=slug, now=timezone.now())
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        self.stderr.write(
            _("Đã nhập kỳ thi “%(name)s” (mã %(slug)s).") % {"name": edition.name, "slug": edition.slug}
        )
