"""Rules of a live (host-paced) round that need no database. Pure: no ORM, no clock.

A live round shows one question at a time to the whole hall. The question at index *i* is slot
*i* of the round's paper, identical for everyone (a live paper keeps its question order), and
the hall sees its options in the paper's own order, so the phones' buttons and the projector's
chart match. The points of each answer are :mod:`contest.live_scoring`'s.
"""

from dataclasses import dataclass
from decimal import Decimal

from contest import states

# The refusals an answer can get in a live round on top of exam mode's (docs/protocol.md).
QUESTION_CLOSED = "question_closed"
ANSWERED = "answered"
NOT_CAPTAIN = "not_captain"

MIN_SECONDS, MAX_SECONDS = 5, 600
CHOICE_TYPES = ("single", "multiple", "truefalse")


def question_seconds(slot: dict, *, default: int, override: int | None = None) -> int:
    """The time limit of a question: the host's choice, else the paper item's, else the round's."""
    seconds = override or slot.get("time_limit") or default
    return min(max(int(seconds), MIN_SECONDS), MAX_SECONDS)


def current_index(index: int | None) -> int:
    """A live round that has not shown a question yet stands before question 0."""
    return 0 if index is None else index


def current_state(state: str) -> str:
    return state or states.Q_PENDING


def answer_refusal(
    *, question_state: str, index: int | None, slot: int, answered_this_opening: bool
) -> str | None:
    """Why a live answer is refused (the round being open is checked by exam mode's rules)."""
    if current_state(question_state) != states.Q_OPEN or slot != current_index(index):
        return QUESTION_CLOSED
    if answered_this_opening:
        return ANSWERED  # one answer per question (per opening, after a re-open)
    return None


def choice_options(qtype: str, public_definition: dict, *, yes: str = "Đúng", no: str = "Sai") -> list[dict]:
    """The buttons of a question: its options, or ``yes`` / ``no`` (translated by the caller)
    for true/false; none for the types answered by typing (short, numeric, ...)."""
    if qtype == "truefalse":
        return [{"id": "true", "html": yes}, {"id": "false", "html": no}]
    if qtype in ("single", "multiple"):
        return list(public_definition.get("options", []))
    return []


def chosen_keys(qtype: str, response: dict | None) -> list[str]:
    """The option ids a response picked (what the distribution counts)."""
    if not response:
        return []
    if qtype == "single":
        return [str(response["choice"])] if response.get("choice") is not None else []
    if qtype == "multiple":
        return [str(choice) for choice in response.get("choices", [])]
    if qtype == "truefalse" and isinstance(response.get("value"), bool):
        return ["true" if response["value"] else "false"]
    return []


def correct_keys(qtype: str, definition: dict) -> list[str]:
    """The option ids that earn points (revealed after the question, never before)."""
    if qtype == "truefalse":
        return ["true" if definition.get("correct") else "false"]
    if qtype in ("single", "multiple"):
        return [
            str(option["id"]) for option in definition.get("options", []) if option.get("fraction", 0) > 0
        ]
    return []


def answer_text(qtype: str, definition: dict) -> str:
    """The right answer in words, for the types without buttons (short, numeric): what the
    hall is told at the reveal."""
    answers = [a for a in definition.get("answers", []) if a.get("fraction", 0) >= 1]
    if qtype == "short":
        return " / ".join(str(a["text"]) for a in answers)
    if qtype == "numeric":
        return " / ".join(f"{a['value']:g}".replace(".", ",") for a in answers if a.get("value") is not None)
    return ""


def distribution(qtype: str, responses: list[dict], option_ids: list[str]) -> dict[str, int]:
    """How many answers picked each option, every option present (zero bars too)."""
    counts = dict.fromkeys(option_ids, 0)
    for response in responses:
        for key in chosen_keys(qtype, response):
            if key in counts:
                counts[key] += 1
    return counts


@dataclass(frozen=True)
class Standing:
    id: int
    name: str
    unit: str
    color: str
    score: Decimal


def ranked(standings: list[Standing], *, sort_key=str) -> list[dict]:
    """Highest score first, shared ranks on ties (1, 2, 2, 4); names break display order."""
    ordered = sorted(standings, key=lambda s: (-s.score, sort_key(s.name)))
    rows, rank = [], 0
    for position, standing in enumerate(ordered, start=1):
        if position == 1 or standing.score != ordered[position - 2].score:
            rank = position
        rows.append(
            {
                "id": standing.id,
                "rank": rank,
                "name": standing.name,
                "unit": standing.unit,
                "color": standing.color,
                "score": str(standing.score),
            }
        )
    return rows


def team_score(member_scores: list[Decimal], *, captain_score: Decimal | None, play: str) -> Decimal:
    """A team's live score: its captain's (captain play) or the mean of its members (mean play)."""
    if play == "captain":
        return captain_score if captain_score is not None else Decimal("0.00")
    if not member_scores:
        return Decimal("0.00")
    return (sum(member_scores, Decimal(0)) / len(member_scores)).quantize(Decimal("0.01"))
