"""English display formats: the contest is in Vietnam, so dates and times stay as in
Vietnamese (dd/mm/yyyy, 24-hour clock); only the number separators are English."""

from config.formats.vi.formats import (  # noqa: F401 - re-exported as this locale's formats
    DATE_FORMAT,
    DATE_INPUT_FORMATS,
    DATETIME_FORMAT,
    DATETIME_INPUT_FORMATS,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
)
