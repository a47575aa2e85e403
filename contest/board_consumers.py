"""Scoreboard sockets: ``/ws/rounds/<id>/board/`` (logged in) and ``/ws/boards/<token>/``
(the public projector link, no login). Thin: decide the audience (contest.permissions), join
the round's hub groups, and leave the frames to the round's board ticker (contest.board_hub).

Query parameters: ``view`` = ``individual`` (default), ``team`` or ``unit``; organisers and
judges may add ``as=public`` to see exactly what the hall sees (a projector run from an
organiser's laptop). Inbound messages are the viewer endpoint's (``ping``, ``resync``).
"""

from urllib.parse import parse_qs

from contest import board_hub, boards, events, permissions
from contest.board_frames import VIEWS, Kind, board_frames
from contest.consumers import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, RoundSocket
from contest.models import Round, RoundBoard

HINTS = (events.PROGRESS_HINT, events.BOARD_HINT, events.ROUND_STATE)


def audience_for(user, round_: Round) -> boards.Audience | None:
    """Staff (organisers and judges), a contestant of the edition, or nobody."""
    if permissions.can_view_judging(user, round_.edition):
        return boards.Audience.STAFF
    if permissions.contestant_registration(user, round_.edition) is not None:
        return boards.Audience.CONTESTANT
    return None


class BoardConsumer(RoundSocket):
    endpoint = "viewer"
    last_content = None

    def query(self, name: str) -> str:
        return parse_qs(self.scope.get("query_string", b"").decode()).get(name, [""])[0]

    def authorise(self):
        token = self.scope["url_route"]["kwargs"].get("token")
        if token is not None:
            board = RoundBoard.objects.select_related("round__edition").filter(public_token=token).first()
            if board is None:
                return CLOSE_NOT_FOUND
            self.round, audience = board.round, boards.Audience.PUBLIC
        else:
            self.round = self.load_round()
            if self.round is None:
                return CLOSE_NOT_FOUND
            audience = audience_for(self.scope["user"], self.round)
            if audience is None:
                return CLOSE_FORBIDDEN
            if audience is boards.Audience.STAFF and self.query("as") == "public":
                audience = boards.Audience.PUBLIC
        view = self.query("view")
        self.kind = Kind(audience, view if view in VIEWS else "individual")
        return None

    def groups_to_join(self):
        return [events.round_group(self.round.pk), events.control_group(self.round.pk)]

    async def joined_round(self):
        self.ticker = board_hub.subscribe(self.round.pk, self)
        await self.send_snapshot()
        # One tick after joining arms the ticker's timer for the freeze, which no hint marks;
        # the frame it computes equals the snapshot, so this socket is not sent it twice.
        self.ticker.poke()

    async def disconnect(self, code):
        await super().disconnect(code)
        if hasattr(self, "ticker"):
            board_hub.unsubscribe(self.round.pk, self)

    def snapshot(self, now):
        frames, _wake = board_frames(self.round.pk, {self.kind}, now=now)
        frame = frames[self.kind]
        self.last_content = board_hub.content_of(frame)
        return frame

    async def send_frame(self, text: str):
        await self.send(text_data=text)

    async def relay(self, text, event):
        """Hints only mark the ticker dirty; a board socket gets nothing but ``board`` frames
        (and ``resync``, after which it asks for a fresh one)."""
        if event["type"] in HINTS:
            # A hint may arrive between joining the groups and subscribing to the ticker; the
            # snapshot sent right after subscribing already covers it.
            if hasattr(self, "ticker"):
                self.ticker.poke()
        elif event["type"] == events.RESYNC:
            await self.send(text_data=text)
