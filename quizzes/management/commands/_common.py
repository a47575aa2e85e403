"""What the import and export commands share: finding the edition and the language."""

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from contest.models import Edition

USAGE_ERROR = 2


def add_common_arguments(parser) -> None:
    parser.add_argument("--bank", required=True, help="Tên ngân hàng câu hỏi (bank name)")
    parser.add_argument(
        "--edition", default=None, help="Mã kỳ hội thi; bỏ trống = ngân hàng dùng chung (edition slug)"
    )
    parser.add_argument("--lang", choices=["vi", "en"], default="vi", help="Ngôn ngữ thông báo (vi, en)")


def activate_language(options) -> None:
    translation.activate(options["lang"])


def find_edition(slug):
    if not slug:
        return None
    edition = Edition.objects.filter(slug=slug).first()
    if edition is None:
        raise CommandError(_("Không có kỳ hội thi mã “%(slug)s”.") % {"slug": slug}, returncode=USAGE_ERROR)
    return edition
