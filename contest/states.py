"""State tables for rounds, attempts and live questions. Pure: no ORM, no I/O.

A round moves draft → scheduled → open ⇄ paused → closed. Services never assign a state
directly: they ask :func:`round_transition` for the target of an action, then write it with a
compare-and-swap on the expected state and version, so two organisers (or the round clock and
an organiser) can never both win the same transition.

Live rounds (host-paced, question by question) add a per-question sub-state while the round is
open or paused: pending → open → closed → revealed → leaderboard, then the next question.
"""

from dataclasses import dataclass

DRAFT = "draft"
SCHEDULED = "scheduled"
OPEN = "open"
PAUSED = "paused"
CLOSED = "closed"
ROUND_STATES = (DRAFT, SCHEDULED, OPEN, PAUSED, CLOSED)

# Round actions, named as the organiser sees them (and as audit ids ``round.<action>``).
SCHEDULE = "schedule"
UNSCHEDULE = "unschedule"
START = "start"
PAUSE = "pause"
RESUME = "resume"
CLOSE = "close"
RESET = "reset"

ROUND_TRANSITIONS: dict[tuple[str, str], str] = {
    (DRAFT, SCHEDULE): SCHEDULED,
    (SCHEDULED, UNSCHEDULE): DRAFT,
    # An organiser may start a draft at once (an impromptu practice) or a scheduled round early.
    (DRAFT, START): OPEN,
    (SCHEDULED, START): OPEN,
    (OPEN, PAUSE): PAUSED,
    (PAUSED, RESUME): OPEN,
    (OPEN, CLOSE): CLOSED,
    (PAUSED, CLOSE): CLOSED,
    (SCHEDULED, CLOSE): CLOSED,
    # Only practice rounds may be reset (see round_transition); real results are never erased.
    (CLOSED, RESET): DRAFT,
}

# Attempt states: a paper may be built before the start (``ready``) so that the start does not
# have to build hundreds of papers at once.
READY = "ready"
IN_PROGRESS = "in_progress"
SUBMITTED = "submitted"
ATTEMPT_STATES = (READY, IN_PROGRESS, SUBMITTED)

# Live question sub-states.
Q_PENDING = "pending"
Q_OPEN = "open"
Q_CLOSED = "closed"
Q_REVEALED = "revealed"
Q_LEADERBOARD = "leaderboard"
QUESTION_STATES = (Q_PENDING, Q_OPEN, Q_CLOSED, Q_REVEALED, Q_LEADERBOARD)

OPEN_QUESTION = "open_question"
CLOSE_QUESTION = "close_question"
REOPEN_QUESTION = "reopen_question"
REVEAL = "reveal"
SHOW_LEADERBOARD = "show_leaderboard"
NEXT_QUESTION = "next_question"
SKIP_QUESTION = "skip_question"

QUESTION_TRANSITIONS: dict[tuple[str, str], str] = {
    (Q_PENDING, OPEN_QUESTION): Q_OPEN,
    (Q_PENDING, SKIP_QUESTION): Q_PENDING,  # the index moves on; the next question is pending
    (Q_OPEN, CLOSE_QUESTION): Q_CLOSED,
    (Q_CLOSED, REOPEN_QUESTION): Q_OPEN,  # a disrupted question, audited with a reason
    (Q_CLOSED, REVEAL): Q_REVEALED,
    (Q_REVEALED, SHOW_LEADERBOARD): Q_LEADERBOARD,
    (Q_REVEALED, NEXT_QUESTION): Q_PENDING,
    (Q_LEADERBOARD, NEXT_QUESTION): Q_PENDING,
}


@dataclass(frozen=True)
class TransitionRefused(Exception):
    """The action is not allowed from the current state."""

    state: str
    action: str

    def __str__(self):
        return f"{self.action} is not allowed from {self.state}"


def round_transition(state: str, action: str, *, practice: bool = False) -> str:
    """The state a round moves to when ``action`` is applied in ``state``."""
    target = ROUND_TRANSITIONS.get((state, action))
    if target is None or (action == RESET and not practice):
        raise TransitionRefused(state, action)
    return target


def allowed_round_actions(state: str, *, practice: bool = False) -> list[str]:
    """Actions an organiser may take now, in table order (the control panel shows these)."""
    return [
        action for (source, action) in ROUND_TRANSITIONS if source == state and (action != RESET or practice)
    ]


def question_transition(state: str, action: str) -> str:
    target = QUESTION_TRANSITIONS.get((state, action))
    if target is None:
        raise TransitionRefused(state, action)
    return target


def accepts_answers(round_state: str) -> bool:
    """Answers are stored only while the round is open (never while paused or closed)."""
    return round_state == OPEN


def accepts_entry(round_state: str) -> bool:
    return round_state == OPEN
