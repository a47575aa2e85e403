"""docs/protocol.md must describe every message type the code accepts or sends."""

import re
from pathlib import Path

from django.conf import settings

from contest import events, protocol

DOC = Path(settings.BASE_DIR, "docs", "protocol.md").read_text(encoding="utf-8")
HEADINGS = set(re.findall(r"^### [→←] `([a-z_.]+)`", DOC, flags=re.M))
CONTROL_SECTION = DOC.split("## Organiser control endpoint", 1)[1].split("### ", 1)[0]
COMMAND_ROWS = set(re.findall(r"^\| `([a-z_]+)` \|", CONTROL_SECTION, flags=re.M))


def test_every_inbound_message_type_is_documented():
    for endpoint, schema in protocol.INBOUND.items():
        for message_type in schema:
            assert message_type in HEADINGS | COMMAND_ROWS, (
                f"{endpoint}: {message_type} missing from docs/protocol.md"
            )


def test_every_outbound_frame_type_is_documented():
    sent = set(protocol.OUTBOUND) | {
        events.ROUND_STATE,
        events.ANNOUNCEMENT,
        events.ATTEMPT_UPDATED,
        events.SUBMITTED,
        events.TAKEOVER,
        events.RESYNC,
    }
    missing = {t for t in sent if f"### ← `{t}`" not in DOC}
    assert not missing, f"missing from docs/protocol.md: {sorted(missing)}"


def test_every_round_event_and_refusal_reason_is_documented():
    from contest.services.answers import ANSWER_REFUSALS
    from contest.services.entry import ENTRY_REFUSALS

    for name in (*events.ROUND_EVENTS, *ANSWER_REFUSALS, *ENTRY_REFUSALS):
        assert f"`{name}`" in DOC, name


def test_the_documented_types_exist_in_the_code():
    """The other direction: the document does not promise messages the code lacks."""
    known = set(protocol.OUTBOUND) | {t for schema in protocol.INBOUND.values() for t in schema}
    undocumented_in_code = (HEADINGS | COMMAND_ROWS) - known - {events.ROUND_STATE}
    assert not undocumented_in_code
