"""``manage.py export_questions --bank NAME --format gift|aiken|moodlexml|xlsx [--out PATH]``.

Text formats go to standard output without --out; .xlsx needs --out. Questions the format
cannot represent are listed on standard error. Exit 2 for usage errors (unknown edition or
bank, unknown format, .xlsx without --out).
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from quizzes.exporters import FORMATS, export_file, export_text
from quizzes.selectors import get_bank

from ._common import USAGE_ERROR, activate_language, add_common_arguments, find_edition


class Command(BaseCommand):
    help = "Xuất một ngân hàng câu hỏi ra GIFT, Aiken, Moodle XML hoặc Excel."

    def add_arguments(self, parser):
        add_common_arguments(parser)
        parser.add_argument("--format", required=True, help="|".join(FORMATS))
        parser.add_argument("--out", default=None, help="Tệp kết quả (bắt buộc với xlsx)")

    def handle(self, *args, **options):
        activate_language(options)
        fmt = options["format"]
        if fmt not in FORMATS:
            raise CommandError(
                _("Định dạng “%(fmt)s” không hợp lệ; dùng một trong: %(all)s.")
                % {"fmt": fmt, "all": ", ".join(FORMATS)},
                returncode=USAGE_ERROR,
            )
        if fmt == "xlsx" and not options["out"]:
            raise CommandError(_("Xuất Excel (xlsx) cần --out TỆP."), returncode=USAGE_ERROR)
        edition = find_edition(options["edition"])
        bank = get_bank(name=options["bank"], edition=edition)
        if bank is None:
            raise CommandError(
                _("Không có ngân hàng “%(name)s”.") % {"name": options["bank"]},
                returncode=USAGE_ERROR,
            )
        if options["out"]:
            skipped = export_file(bank, fmt, options["out"])
        else:
            text, skipped = export_text(bank, fmt)
            self.stdout.write(text, ending="")
        for question in skipped:
            self.stderr.write(
                _("Bỏ qua câu #%(id)d (%(name)s): định dạng %(fmt)s không biểu diễn được loại câu này.")
                % {"id": question.pk, "name": question, "fmt": fmt}
            )
        if options["out"]:
            self.stderr.write(_("Đã xuất ra %(path)s.") % {"path": options["out"]})
