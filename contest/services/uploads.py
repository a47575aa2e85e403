"""Storing the file a contestant uploads for a practical ("file") question.

The file is only stored here; it becomes the answer when the contestant's socket sends
``{"upload_id": n}`` for the slot (docs/protocol.md, ``answer``), so the answer is acknowledged
after commit like every other, and :mod:`contest.services.answers` checks that the upload
belongs to that attempt and slot. The rules are those of an answer (owner, round open, before
deadline + grace) plus the question's own: an accepted extension, at most ``max_bytes``, and
content that looks like what the extension says (a zip for Office files, ``%PDF`` for PDF), so
a renamed executable is not handed to a judge as a document.
"""

import hashlib
import posixpath

from django.db import transaction
from django.utils.translation import gettext as _

from contest import timing
from contest.models import AnswerUpload, Attempt, AttemptEvent
from contest.services.answers import ANSWER_REFUSALS, ROUND_REFUSALS
from contest.services.errors import Invalid, NotAllowed
from quizzes import papers
from quizzes.qtypes.manual import DEFAULT_ACCEPT, DEFAULT_MAX_BYTES

OOXML = b"PK\x03\x04"
# extension -> (content type we serve it with, the bytes its content must start with)
KNOWN_TYPES = {
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", OOXML),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", OOXML),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", OOXML),
    ".pdf": ("application/pdf", b"%PDF-"),
}
MAX_NAME = 200


def _refuse(reason: str, message=None) -> NotAllowed:
    return NotAllowed(message or ANSWER_REFUSALS[reason], reason=reason)


def _invalid(message) -> Invalid:
    return Invalid(message, reason="invalid")


def _check_attempt(attempt: Attempt, user, now) -> None:
    if attempt.registration.person.user_id != user.pk:
        raise _refuse("not_yours")
    if attempt.state == Attempt.State.SUBMITTED:
        raise _refuse("submitted")
    if attempt.state != Attempt.State.IN_PROGRESS:
        raise _refuse("no_attempt")
    reason = ROUND_REFUSALS.get(attempt.round.state, "not_open")
    if reason:
        raise _refuse(reason)
    if not timing.accepts_answer_at(attempt.deadline, grace_seconds=attempt.round.grace_seconds, now=now):
        raise _refuse("too_late")


def _file_definition(attempt: Attempt, slot: int) -> dict:
    slots = attempt.paper.get("slots", [])
    if not 0 <= slot < len(slots) or slots[slot]["qtype"] != "file":
        raise _invalid(ANSWER_REFUSALS["invalid"])
    _qtype, _stem, definition = papers.load_definitions({"slots": [slots[slot]]})[slots[slot]["version_id"]]
    return definition


def _check_file(definition: dict, uploaded_file) -> tuple[str, str]:
    """(extension, content type) of an acceptable file; Invalid with the reason otherwise."""
    if uploaded_file is None or not uploaded_file.size:
        raise _invalid(_("Hãy chọn một tệp."))
    accept = [a.lower() for a in definition.get("accept", DEFAULT_ACCEPT)]
    extension = posixpath.splitext((uploaded_file.name or "").lower())[1]
    if extension not in accept:
        raise _invalid(_("Chỉ nhận tệp %(accept)s.") % {"accept": ", ".join(accept)})
    max_bytes = definition.get("max_bytes", DEFAULT_MAX_BYTES)
    if uploaded_file.size > max_bytes:
        raise _invalid(_("Tệp lớn hơn mức cho phép (%(size)s).") % {"size": _size_text(max_bytes)})
    content_type, magic = KNOWN_TYPES.get(extension, ("application/octet-stream", b""))
    uploaded_file.seek(0)
    head = uploaded_file.read(len(magic))
    uploaded_file.seek(0)
    if head != magic:
        raise _invalid(_("Nội dung tệp không đúng định dạng %(ext)s.") % {"ext": extension})
    return extension, content_type


def _size_text(size: int) -> str:
    """10485760 -> "10 MB", 1536 -> "1,5 KB": Vietnamese decimal comma, no trailing zeros."""
    unit, scale = ("MB", 1024 * 1024) if size >= 1024 * 1024 else ("KB", 1024)
    number = f"{size / scale:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{number} {unit}"


def _sha256(uploaded_file) -> str:
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


def _log_refusal(attempt: Attempt, slot: int, reason: str, name: str, now) -> None:
    AttemptEvent.objects.create(
        round_id=attempt.round_id,
        registration_id=attempt.registration_id,
        attempt=attempt,
        kind=AttemptEvent.Kind.REFUSED,
        reason=reason,
        detail={"slot": slot, "upload": name[:MAX_NAME]},
        at=now,
    )


def store_answer_file(*, attempt: Attempt, slot: int, uploaded_file, user, now) -> AnswerUpload:
    """Store ``uploaded_file`` for ``slot`` of ``attempt``; the new :class:`AnswerUpload`.

    Preconditions: none beyond an authenticated ``user`` (ownership is checked here). Opens a
    transaction and locks the attempt, so a file is never stored for an attempt that was
    submitted meanwhile. Raises :class:`NotAllowed` (owner, round, time) or :class:`Invalid`
    (slot, extension, size, content) with the answer refusal reasons, and logs a refused
    attempt event for the contestant's own attempt. Emits no event: the answer message that
    names the upload does.
    """
    name = (getattr(uploaded_file, "name", "") or "")[-MAX_NAME:]
    refused = None
    with transaction.atomic():
        locked = (
            Attempt.objects.select_for_update(of=("self",))
            .select_related("round", "registration__person")
            .get(pk=attempt.pk)
        )
        try:
            _check_attempt(locked, user, now)
            extension, content_type = _check_file(_file_definition(locked, slot), uploaded_file)
        except (NotAllowed, Invalid) as error:
            refused = error
        else:
            upload = AnswerUpload(
                attempt=locked,
                slot=slot,
                original_name=name,
                size=uploaded_file.size,
                sha256=_sha256(uploaded_file),
                content_type=content_type,
                uploaded_at=now,
            )
            upload.file.save(f"{upload.sha256}{extension}", uploaded_file, save=False)
            upload.save()
    if refused is not None:
        if refused.reason != "not_yours":  # another's attempt gets no row written by a stranger
            _log_refusal(locked, slot, refused.reason, name, now)
        raise refused
    return upload
