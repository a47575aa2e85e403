"""``manage.py export_results --edition SLUG [--round SLUG] [--unit CODE] --format FMT --out PATH``.

Formats: xlsx, csv (a zip with one CSV per table), json, pdf (the official result list), prizes
(the prize list PDF), certificates (one PDF of the certificates, optionally for one unit).
Exit 2 for usage errors (unknown edition, round or format), 1 when there is nothing to print.
The export is audited as ``results.exported`` like a download.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.models import Edition, Round
from contest.services.errors import DomainError
from contest.services.exports import FORMATS, export_results

USAGE_ERROR = 2


class Command(BaseCommand):
    help = "Xuất kết quả một kỳ thi (hoặc một vòng) ra xlsx, csv (zip), json, pdf hoặc giấy chứng nhận."

    def add_arguments(self, parser):
        parser.add_argument("--edition", required=True, help="Mã kỳ hội thi (edition slug)")
        parser.add_argument("--round", default=None, help="Mã vòng thi; bỏ trống = cả kỳ")
        parser.add_argument("--unit", default=None, help="Mã đơn vị (chỉ với certificates)")
        parser.add_argument("--format", required=True, help="|".join(FORMATS))
        parser.add_argument("--out", required=True, help="Tệp kết quả")

    def handle(self, *args, **options):
        fmt = options["format"]
        if fmt not in FORMATS:
            raise CommandError(
                _("Định dạng “%(fmt)s” không hợp lệ; dùng một trong: %(all)s.")
                % {"fmt": fmt, "all": ", ".join(FORMATS)},
                returncode=USAGE_ERROR,
            )
        if options["unit"] and fmt != "certificates":
            raise CommandError(_("--unit chỉ dùng với --format certificates."), returncode=USAGE_ERROR)
        edition = Edition.objects.filter(slug=options["edition"]).first()
        if edition is None:
            raise CommandError(
                _("Không có kỳ hội thi mã “%(slug)s”.") % {"slug": options["edition"]}, returncode=USAGE_ERROR
            )
        round_ = None
        if options["round"]:
            round_ = Round.objects.filter(edition=edition, slug=options["round"], is_practice=False).first()
            if round_ is None:
                raise CommandError(
                    _("Kỳ thi không có vòng chính thức mã “%(slug)s”.") % {"slug": options["round"]},
                    returncode=USAGE_ERROR,
                )
        try:
            exported = export_results(
                edition=edition, fmt=fmt, now=timezone.now(), round_=round_, unit_code=options["unit"]
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        out = Path(options["out"])
        out.write_bytes(exported.content)
        self.stderr.write(
            _("Đã xuất ra %(path)s (%(size)d byte).") % {"path": out, "size": len(exported.content)}
        )
