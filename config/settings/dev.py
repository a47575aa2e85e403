"""Local development and the embedded one-box default (``make run``)."""

from config.env import env_bool

from .base import *  # noqa: F403
from .base import DATA_DIR, STORAGES

DEBUG = env_bool("DEBUG", True)
WHITENOISE_USE_FINDERS = True
DATA_DIR.mkdir(parents=True, exist_ok=True)
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
