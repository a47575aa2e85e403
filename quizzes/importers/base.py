"""What every importer produces, before anything touches the database.

A parser turns a file into a :class:`ParseResult`: the questions it understood, in file
order, each with the line (or row) it started on, plus every problem found, each with its
line and a translated message. Nothing is written while parsing. ``quizzes.services``
then writes the whole result in one transaction, or nothing when there are errors (unless
the user chose to skip the invalid questions).

Question content uses the shapes documented in ``quizzes.question_types``: ``stem_html`` is
already sanitised HTML (plain-text sources are escaped), ``definition`` the type's JSON.
"""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class ImportIssue:
    """An error or warning found while parsing, located by ``line`` (1-based; a row for
    spreadsheets). ``message`` is already translated into the active language."""

    line: int | None
    message: str
    severity: str = "error"  # "error" or "warning"
    question_index: int | None = None  # index into ParseResult.questions, when it is about one
    code: str = ""  # a stable kind, e.g. "too_few_answers", for tests and the UI

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass
class ParsedQuestion:
    qtype: str  # a quizzes.models.QuestionType value
    name: str
    stem_html: str
    definition: dict
    line: int | None = None
    general_feedback_html: str = ""
    default_points: Decimal = Decimal("1")
    category_path: list[str] = field(default_factory=list)  # e.g. ["IU03", "Định dạng"]
    tags: list[str] = field(default_factory=list)
    idnumber: str = ""
    # Images referenced from stem/options as "media:<key>": key -> (bytes, content_type, name).
    media: dict[str, tuple[bytes, str, str]] = field(default_factory=dict)
    # What the source format said, before mapping to our types (Moodle importers: the
    # question as Moodle's own importer would build it: raw texts, formats, fractions).
    # Used by the conformance tests and diagnostics; never written to the database.
    source: dict = field(default_factory=dict)


@dataclass
class ParseResult:
    format: str
    questions: list[ParsedQuestion] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    # Category switches in file order (Moodle's $CATEGORY: lines and <question type="category">):
    # {"before": index of the next question, "path": [...], "line": n, "source": {...}}.
    # The questions already carry the path; this keeps switches with no question after them
    # (empty categories are still created) and the item order the conformance tests check.
    categories: list[dict] = field(default_factory=list)

    @property
    def errors(self) -> list[ImportIssue]:
        return [issue for issue in self.issues if issue.is_error]

    @property
    def warnings(self) -> list[ImportIssue]:
        return [issue for issue in self.issues if not issue.is_error]

    def error(self, line, message, question_index=None, code=""):
        self.issues.append(ImportIssue(line, str(message), "error", question_index, code))

    def warn(self, line, message, question_index=None, code=""):
        self.issues.append(ImportIssue(line, str(message), "warning", question_index, code))

    def invalid_indexes(self) -> set[int]:
        """Questions that have at least one error (skipped with the skip choice)."""
        return {i.question_index for i in self.errors if i.question_index is not None}
