from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestConfig(AppConfig):
    name = "contest"
    verbose_name = _("Hội thi")

    def ready(self):
        from . import signals  # noqa: F401 - connects the login audit receivers
