"""Building ``board`` frames (docs/protocol.md) from the database. Synchronous: the board hub
calls it in a worker thread, once per tick for every kind of viewer it has, so that the cost
of a tick depends on the number of contestants, not on the number of viewers.

A viewer's kind is its audience (staff, contestant, public) and its view (individual, team,
unit). :func:`board_frames` computes the round's standing at most once per call and shapes it
for each kind as :mod:`contest.boards` decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from contest import boards
from contest import scoring_selectors as scores
from contest.events import PROTOCOL_VERSION
from contest.models import Round
from contest.services import scoring as scoring_services
from contest.snapshots import server_time_ms

VIEWS = ("individual", "team", "unit")
# A frozen or revealing board stands still: not even its counts move.
LIVE_PROGRESS = (boards.Show.PROGRESS, boards.Show.LIVE)


@dataclass(frozen=True, slots=True)
class Kind:
    audience: boards.Audience
    view: str


def for_audience(rows: list[dict], audience: boards.Audience) -> list[dict]:
    """A public board shows a contestant's name only with their consent
    (Person.public_consent_at); the ``public`` flag itself never leaves the server."""
    if audience is not boards.Audience.PUBLIC:
        return [{k: v for k, v in row.items() if k != "public"} for row in rows]
    hidden = _("Thí sinh (ẩn tên)")
    return [
        {
            **{k: v for k, v in row.items() if k != "public"},
            **({} if row.get("public", True) else {"name": hidden}),
        }
        for row in rows
    ]


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _progress_counts(rows) -> dict:
    return {
        "eligible": len(rows),
        "entered": sum(1 for row in rows if row.took_part),
        "submitted": sum(1 for row in rows if row.state == "submitted"),
        "answers": sum(row.answered for row in rows),
    }


class _Lazy:
    """The round's data, loaded on first need and shared by every kind in one call."""

    def __init__(self, round_: Round, board, now: datetime):
        self.round, self.board, self.now = round_, board, now
        self._standing = None
        self._rule = None
        self._frozen_checked = False

    @property
    def standing(self):
        if self._standing is None:
            self._standing = scores.round_standing(self.round, now=self.now, board=self.board)
        return self._standing

    @property
    def rule(self):
        if self._rule is None:
            self._rule = scores.team_rule(scores.get_edition_scoring(self.round.edition))
        return self._rule

    def frozen(self, view: str) -> list[dict]:
        if not self._frozen_checked:
            self.board = scoring_services.ensure_frozen(round_=self.round, now=self.now)
            self._frozen_checked = True
        return (self.board.frozen_rows or {}).get(view, [])

    def rows(self, show: boards.Show, view: str) -> tuple[list[dict], dict | None]:
        if show is boards.Show.NOTHING:
            return [], None
        if show is boards.Show.PROGRESS:
            return scores.progress_rows(self.standing.everyone), None
        if show is boards.Show.FROZEN:
            return self.frozen(view), None
        final = scores.board_view_rows(self.standing, view, rule=self.rule)
        if show is boards.Show.REVEAL:
            reveal = boards.reveal_board(self.frozen(view), final, self.board.reveal_step or 0)
            return reveal.pop("rows"), reveal
        return final, None


def _reveal_for(reveal: dict | None, audience: boards.Audience) -> dict | None:
    if reveal is None or reveal["podium"] is None:
        return reveal
    return {**reveal, "podium": for_audience(reveal["podium"], audience)}


def board_frames(
    round_id: int, kinds: set[Kind], *, now: datetime
) -> tuple[dict[Kind, dict], datetime | None]:
    """One frame per kind, and when the picture changes by itself next (the freeze), if ever."""
    round_ = Round.objects.select_related("edition").get(pk=round_id)
    board = scores.get_board(round_)
    data = _Lazy(round_, board, now)
    frames = {}
    for kind in kinds:
        show = scores.show_for(board, round_, kind.audience, now=now)
        rows, reveal = data.rows(show, kind.view)
        frames[kind] = {
            "type": "board",
            "protocol": PROTOCOL_VERSION,
            "server_time": server_time_ms(now),
            "round": {"id": round_.pk, "name": round_.name, "state": round_.state, "mode": round_.mode},
            "view": kind.view,
            "phase": show.value,
            "frozen_at": _iso(data.board.frozen_at) if show is boards.Show.FROZEN else None,
            "progress": _progress_counts(data.standing.everyone) if show in LIVE_PROGRESS else None,
            "rows": for_audience(rows, kind.audience),
            "reveal": _reveal_for(reveal, kind.audience),
        }
    freeze = boards.freeze_starts_at(scores.board_close_at(round_), board.freeze_minutes)
    return frames, freeze if freeze is not None and freeze > now else None
