"""``manage.py restore_data PATH``: replace the database with a backup. Stop Daphne first."""

from django.core.management.base import BaseCommand, CommandError

from contest.backup import BackupError, restore


class Command(BaseCommand):
    help = "Khôi phục cơ sở dữ liệu từ tệp sao lưu (ghi đè toàn bộ dữ liệu hiện có)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp do backup_data tạo ra.")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="Không hỏi xác nhận."
        )

    def handle(self, *args, path, interactive, **options):
        if interactive:
            answer = input(f"Toàn bộ dữ liệu hiện có sẽ bị thay bằng {path}. Gõ 'yes' để tiếp tục: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Đã hủy; không thay đổi gì.")
        try:
            restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Đã khôi phục từ {path}."))
