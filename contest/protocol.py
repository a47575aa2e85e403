"""Schemas of every inbound websocket message, and the check every frame goes through.

docs/protocol.md describes the same messages for people; a test fails when a type used here
(or pushed by :mod:`contest.events` and the consumers) is missing from that document. A bad
frame raises :class:`ProtocolError`, which the consumer turns into an ``error`` frame: it never
crashes the consumer or closes the socket.
"""

import json
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_FRAME_BYTES = 64 * 1024
MAX_ID_LENGTH = 64


class ProtocolError(Exception):
    def __init__(self, code: str, message: str, ref: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.ref = ref


@dataclass(frozen=True)
class Field:
    kind: type | tuple[type, ...]
    required: bool = True
    min: int | None = None
    max: int | None = None  # value for ints, length for strings
    choices: tuple | None = None


ID = Field(str, min=1, max=MAX_ID_LENGTH)
OPTIONAL_ID = Field(str, required=False, min=1, max=MAX_ID_LENGTH)
SLOT = Field(int, min=0, max=10_000)
MINUTES = Field(int, min=1, max=600)

COMMON = {
    "ping": {"id": ID},
    "resync": {},
}

CONTESTANT = {
    **COMMON,
    "enter": {"id": ID, "access_code": Field(str, required=False, max=30)},
    "answer": {
        "id": ID,
        "slot": SLOT,
        "base": Field(int, min=0, max=1_000_000),
        "response": Field(dict),
        "attempt": Field(int, required=False, min=1),
    },
    "flag": {"slot": SLOT, "flagged": Field(bool)},
    "focus": {"state": Field(str, choices=("lost", "back"))},
    "submit": {"id": ID},
}

CONTROL = {
    **COMMON,
    "schedule": {"id": ID},
    "unschedule": {"id": ID},
    "start": {"id": ID},
    "pause": {"id": ID},
    "resume": {"id": ID},
    "close": {"id": ID},
    "reset": {"id": ID},
    "extend_all": {"id": ID, "minutes": MINUTES},
    "extend_one": {"id": ID, "attempt": Field(int, min=1), "minutes": MINUTES},
    "force_submit": {"id": ID, "attempt": Field(int, min=1)},
    "announce": {"id": ID, "text": Field(str, min=1, max=500)},
    "monitor": {"id": OPTIONAL_ID},
}

# Live rounds (host-paced): the host's question commands and the phone's receipt of a question.
QUESTION_SECONDS = Field(int, required=False, min=5, max=600)
CONTROL.update(
    {
        "open_question": {"id": ID, "seconds": QUESTION_SECONDS},
        "close_question": {"id": ID},
        "reopen_question": {"id": ID, "reason": Field(str, min=1, max=500), "seconds": QUESTION_SECONDS},
        "reveal": {"id": ID},
        "show_leaderboard": {"id": ID},
        "next_question": {"id": ID},
        "skip_question": {"id": ID},
    }
)
CONTESTANT["seen"] = {"index": SLOT}

VIEWER = dict(COMMON)

INBOUND = {"contestant": CONTESTANT, "control": CONTROL, "viewer": VIEWER}

# Every frame type a server sends (the documentation test checks these too).
OUTBOUND = (
    "pong",
    "error",
    "resync",
    "snapshot",
    "round.state",
    "announcement",
    "ack",
    "refused",
    "submitted",
    "attempt.updated",
    "takeover",
    "done",
    "monitor",
    "progress",
    "board",
    "live.question",
    "live.result",
)


def _type_name(kind) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {int: _("số nguyên"), str: _("chuỗi"), bool: _("true/false"), dict: _("đối tượng JSON")}
    return " / ".join(names.get(k, k.__name__) for k in kinds)


def _check_field(name: str, spec: Field, value, ref) -> None:
    # bool is an int in Python; a JSON true must not pass as slot 1.
    wrong_type = not isinstance(value, spec.kind) or (isinstance(value, bool) and spec.kind is not bool)
    if wrong_type:
        raise ProtocolError(
            "bad_message", _('Trường "%(f)s" phải là %(t)s.') % {"f": name, "t": _type_name(spec.kind)}, ref
        )
    size = len(value) if isinstance(value, str) else value if isinstance(value, int) else None
    if size is not None and (
        (spec.min is not None and size < spec.min) or (spec.max is not None and size > spec.max)
    ):
        raise ProtocolError(
            "bad_message", _('Trường "%(f)s" nằm ngoài giới hạn cho phép.') % {"f": name}, ref
        )
    if spec.choices is not None and value not in spec.choices:
        raise ProtocolError("bad_message", _('Giá trị của trường "%(f)s" không hợp lệ.') % {"f": name}, ref)


def parse(text: str | None, endpoint: str, raw_bytes: bytes | None = None) -> dict:
    """Decode and check one inbound frame for ``endpoint``; the message (type + known fields)."""
    data = text if text is not None else raw_bytes
    if data is None or len(data.encode() if isinstance(data, str) else data) > MAX_FRAME_BYTES:
        if data is None:
            raise ProtocolError("bad_json", _("Tin nhắn rỗng."))
        raise ProtocolError("too_large", _("Tin nhắn quá lớn (tối đa 64 KiB)."))
    try:
        message = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise ProtocolError("bad_json", _("Tin nhắn không phải JSON hợp lệ.")) from None
    if not isinstance(message, dict):
        raise ProtocolError("bad_json", _("Tin nhắn phải là một đối tượng JSON."))
    ref = message.get("id") if isinstance(message.get("id"), str) else None
    schema = INBOUND[endpoint].get(message.get("type")) if isinstance(message.get("type"), str) else None
    if schema is None:
        raise ProtocolError("unknown_type", _("Loại tin nhắn không được hỗ trợ."), ref)
    clean = {"type": message["type"]}
    for name, spec in schema.items():
        if name not in message or message[name] is None:
            if spec.required:
                raise ProtocolError("bad_message", _('Thiếu trường "%(f)s".') % {"f": name}, ref)
            continue
        _check_field(name, spec, message[name], ref)
        clean[name] = message[name]
    return clean


def error_frame(code: str, message: str, ref: str | None = None, **extra) -> dict:
    frame = {"type": "error", "code": code, "message": str(message)}
    if ref is not None:
        frame["ref"] = ref
    frame.update(extra)
    return frame
