"""``manage.py import_questions PATH --bank NAME``: import a question file from the shell.

Exit codes: 0 imported; 1 the file has errors and nothing was written (or, with
--skip-invalid, no valid question was left); 2 usage errors (unknown edition, missing file,
unknown format). Every warning and error is printed with its line (row) number.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from quizzes.importers import FORMATS, parse_upload
from quizzes.models import QuestionType
from quizzes.services import get_or_create_bank, import_questions

from ._common import USAGE_ERROR, activate_language, add_common_arguments, find_edition

INPUT_ERROR = 1


def where(issue, fmt: str) -> str:
    if issue.line is None:
        return _("Tệp")
    if fmt in {"xlsx", "csv"}:
        return _("Hàng %(n)d") % {"n": issue.line}
    if fmt == "docx":
        return _("Đoạn %(n)d") % {"n": issue.line}
    return _("Dòng %(n)d") % {"n": issue.line}


class Command(BaseCommand):
    help = "Nhập câu hỏi từ tệp GIFT, Aiken, Moodle XML, Excel, CSV hoặc Word vào một ngân hàng."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Tệp câu hỏi")
        add_common_arguments(parser)
        parser.add_argument("--format", default="auto", help="auto|" + "|".join(FORMATS))
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Nhập các câu hợp lệ, bỏ qua các câu có lỗi (mặc định: có lỗi thì không nhập gì)",
        )

    def handle(self, *args, **options):
        activate_language(options)
        fmt = options["format"]
        if fmt != "auto" and fmt not in FORMATS:
            raise CommandError(
                _("Định dạng “%(fmt)s” không hợp lệ; dùng một trong: %(all)s.")
                % {"fmt": fmt, "all": "auto, " + ", ".join(FORMATS)},
                returncode=USAGE_ERROR,
            )
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(_("Không tìm thấy tệp %(path)s.") % {"path": path}, returncode=USAGE_ERROR)
        edition = find_edition(options["edition"])
        result = parse_upload(path.read_bytes(), path.name, fmt)
        # A bank created for an import that writes nothing is rolled back with it: a refused
        # file leaves the database exactly as it was.
        with transaction.atomic():
            bank, created = get_or_create_bank(name=options["bank"], edition=edition)
            report = import_questions(bank=bank, result=result, skip_invalid=options["skip_invalid"])
            if not report.written:
                transaction.set_rollback(True)
        if created and report.written:
            self.stdout.write(_("Đã tạo ngân hàng “%(name)s”.") % {"name": bank.name})
        for issue in report.warnings:
            self.stdout.write(
                _("%(where)s: cảnh báo: %(message)s")
                % {"where": where(issue, result.format), "message": issue.message}
            )
        for issue in report.errors:
            self.stderr.write(
                _("%(where)s: lỗi: %(message)s")
                % {"where": where(issue, result.format), "message": issue.message}
            )
        if not report.written:
            raise CommandError(
                _(
                    "Không nhập câu hỏi nào: tệp có %(n)d lỗi. Sửa các lỗi trên, hoặc dùng --skip-invalid để bỏ qua các câu lỗi."
                )
                % {"n": len(report.errors)}
                if report.errors
                else _("Không có câu hỏi hợp lệ nào để nhập."),
                returncode=INPUT_ERROR,
            )
        labels = dict(QuestionType.choices)
        self.stdout.write(
            _("Đã nhập %(n)d câu hỏi vào “%(bank)s” (định dạng %(fmt)s).")
            % {"n": report.imported, "bank": bank.name, "fmt": result.format}
        )
        for qtype, count in sorted(report.by_type.items()):
            self.stdout.write(f"  {labels.get(qtype, qtype)}: {count}")
        if report.errors:
            self.stdout.write(_("Đã bỏ qua các câu có lỗi (%(n)d lỗi).") % {"n": len(report.errors)})
