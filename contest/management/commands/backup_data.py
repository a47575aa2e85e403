"""``manage.py backup_data --out PATH``: a consistent backup while the site keeps running."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from contest.backup import BackupError, backup


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu (SQLite: online backup; PostgreSQL: pg_dump) ra tệp PATH."

    def add_arguments(self, parser):
        parser.add_argument(
            "--out",
            required=True,
            help="Tệp đích, ví dụ backups/hoithi-%%Y%%m%%d-%%H%%M.sqlite3 (định dạng ngày giờ được thay).",
        )

    def handle(self, *args, out, **options):
        path = timezone.localtime().strftime(out)
        try:
            written = backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Đã sao lưu vào {written} ({written.stat().st_size} byte)."))
