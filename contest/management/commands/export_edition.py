"""``manage.py export_edition --edition SLUG --out PATH``: the whole edition as one archive file
(see contest/archive.py). Exit 2 for an unknown edition. Audited as ``edition.exported``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from contest.archive import export_edition
from contest.models import Edition

USAGE_ERROR = 2


class Command(BaseCommand):
    help = "Xuất toàn bộ một kỳ thi (ngân hàng, đề, vòng thi, bài làm, chấm, nhật ký) ra một tệp .zip."

    def add_arguments(self, parser):
        parser.add_argument("--edition", required=True, help="Mã kỳ hội thi (edition slug)")
        parser.add_argument("--out", required=True, help="Tệp .zip kết quả")

    def handle(self, *args, edition, out, **options):
        found = Edition.objects.filter(slug=edition).first()
        if found is None:
            raise CommandError(
                _("Không có kỳ hội thi mã “%(slug)s”.") % {"slug": edition}, returncode=USAGE_ERROR
            )
        content = export_edition(edition=found, now=timezone.now())
        Path(out).write_bytes(content)
        self.stderr.write(
            _("Đã xuất kỳ thi ra %(path)s (%(size)d byte).") % {"path": out, "size": len(content)}
        )
