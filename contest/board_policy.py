"""Who sees what on a round's scoreboard, and when. Pure: the round's settings, the viewer's role
and an explicit ``now`` go in, one :class:`BoardView` comes out.

The rules, from the scoreboard issue:

- A round's board visibility is one of hidden, organisers only, contestants, public. Hidden means
  no board at all; organisers and judges follow the round on their own pages.
- Organisers and judges see the live board whenever there is one, through the freeze and the
  reveal: they run the contest and must see what is happening.
- In an exam round a live score would tell a contestant whether a changed answer is right, so
  until the judges publish, contestants and the public see at most progress (who entered, how many
  answered, who submitted); after publication, the final board.
- In a live round the leaderboard between questions is part of the show, so contestants and the
  public see it live, except during the freeze: for the last N minutes before the close their
  board stops; after the close it stays frozen until the organisers' reveal has finished, then
  shows the final results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class BoardVisibility(StrEnum):
    """Stored per round; never rename the values."""

    HIDDEN = "hidden"
    ORGANISERS = "organisers"
    CONTESTANTS = "contestants"
    PUBLIC = "public"


class Viewer(StrEnum):
    ORGANISER = "organiser"
    JUDGE = "judge"
    CONTESTANT = "contestant"  # registered for the round
    PUBLIC = "public"  # the projector or anyone holding the round's read-only board link


class BoardView(StrEnum):
    NONE = "none"  # no board frames at all
    PROGRESS = "progress"  # entered / answered / submitted, never scores or correctness
    LIVE = "live"  # current scores
    FROZEN = "frozen"  # scores as they stood when the freeze began
    FINAL = "final"  # final (published or revealed) scores


# Which non-staff viewers a visibility lets in.
_AUDIENCE = {
    BoardVisibility.HIDDEN: frozenset(),
    BoardVisibility.ORGANISERS: frozenset(),
    BoardVisibility.CONTESTANTS: frozenset({Viewer.CONTESTANT}),
    BoardVisibility.PUBLIC: frozenset({Viewer.CONTESTANT, Viewer.PUBLIC}),
}


@dataclass(frozen=True, slots=True)
class BoardRules:
    """A round's board settings. ``mode`` takes Round.Mode's values, "exam" or "live"."""

    mode: str
    visibility: BoardVisibility
    freeze_seconds: int = 0


@dataclass(frozen=True, slots=True)
class BoardMoment:
    """Where the round stands. ``closes_at`` is the effective close (extensions included);
    ``published`` means the judges published the results; ``revealed`` that the organisers'
    reveal ceremony has finished (or there is none to wait for)."""

    now: datetime
    closes_at: datetime | None
    closed: bool
    published: bool = False
    revealed: bool = False


def freeze_starts_at(rules: BoardRules, closes_at: datetime | None) -> datetime | None:
    """When the public board stops, or None when the round has no freeze or no known close."""
    if rules.freeze_seconds <= 0 or closes_at is None:
        return None
    return closes_at - timedelta(seconds=rules.freeze_seconds)


def board_view(rules: BoardRules, viewer: Viewer, moment: BoardMoment) -> BoardView:
    if rules.visibility is BoardVisibility.HIDDEN:
        return BoardView.NONE
    if viewer in (Viewer.ORGANISER, Viewer.JUDGE):
        return BoardView.LIVE
    if viewer not in _AUDIENCE[rules.visibility]:
        return BoardView.NONE
    if rules.mode == "exam":
        return BoardView.FINAL if moment.published else BoardView.PROGRESS
    freeze = freeze_starts_at(rules, moment.closes_at)
    frozen = freeze is not None and (moment.closed or moment.now >= freeze)
    if frozen and not moment.revealed:
        return BoardView.FROZEN
    return BoardView.FINAL if moment.closed else BoardView.LIVE
