"""The live-round side of the three round endpoints (docs/protocol.md, "Live rounds").

The same URLs serve exam and live rounds: these consumers extend exam mode's and change nothing
for an exam round. What they add:

- contestants: the ``live.question`` picture in every snapshot and as it changes, their own
  ``live.result`` after each reveal, and the timing behind speed scoring. A socket notes when
  it was handed each question (server clock); the phone's ``seen`` receipt gives the round trip.
  A socket that joins while a question is already open (a reconnect, a device switch) counts
  from the question's opening, so reconnecting never buys time;
- the host: the question commands (one audited service call each) and, in the monitor, who
  has answered the current question;
- viewers (the projector): the picture, and how many have answered.
"""

import asyncio
import dataclasses

from channels.db import database_sync_to_async
from django.utils import timezone

from contest import live_selectors, permissions
from contest.batcher import results_batcher
from contest.consumers import COMMANDS, ContestantConsumer, ControlConsumer, ViewerConsumer
from contest.models import Round
from contest.services import live as live_services

EARLY_CLOSE_WINDOW_SECONDS = 0.05

LIVE_COMMANDS = {
    "open_question": lambda r, m, **kw: live_services.open_question(round_=r, seconds=m.get("seconds"), **kw),
    "close_question": lambda r, m, **kw: live_services.close_question(round_=r, **kw),
    "reopen_question": lambda r, m, **kw: live_services.reopen_question(
        round_=r, reason=m["reason"], seconds=m.get("seconds"), **kw
    ),
    "reveal": lambda r, m, **kw: live_services.reveal(round_=r, **kw),
    "show_leaderboard": lambda r, m, **kw: live_services.show_leaderboard(round_=r, **kw),
    "next_question": lambda r, m, **kw: live_services.next_question(round_=r, **kw),
    "skip_question": lambda r, m, **kw: live_services.skip_question(round_=r, **kw),
}
COMMANDS.update(LIVE_COMMANDS)


def _is_live(round_: Round) -> bool:
    return round_.mode == Round.Mode.LIVE


def _opening_key(picture: dict) -> tuple:
    return (picture["index"], picture["opened_at"])


class LiveContestantConsumer(ContestantConsumer):
    def authorise(self):
        refusal = super().authorise()
        # (index, opened_at) of a question → [server time it was handed over, round trip or None]
        self.handed: dict[tuple, list] = {}
        return refusal

    def find_registration(self):
        """The account's registration, else (live rounds) the one this browser joined as with
        the round's PIN and a contestant code."""
        registration = super().find_registration()
        if registration is None and _is_live(self.round):
            registration = permissions.live_joined_registration(self.scope["session"], self.round)
        return registration

    def snapshot(self, now):
        frame = super().snapshot(now)
        if _is_live(self.round):
            round_ = Round.objects.get(pk=self.round.pk)
            frame["live"] = live_selectors.live_picture(round_, now=now)
            frame["live_role"] = live_selectors.answering_role(round_, self.registration)
            self._hand_over(frame["live"], None)
        return frame

    async def send_json(self, frame: dict):
        """A live round's phone never holds the paper: a question reaches it only when the
        host opens it (exam mode's snapshots carry the whole paper)."""
        if frame.get("type") == "snapshot" and frame.get("paper") and _is_live(self.round):
            frame = {**frame, "paper": None}
        await super().send_json(frame)

    def _hand_over(self, picture: dict, at) -> None:
        """Note when this socket got an open question; a late joiner counts from its opening."""
        if picture["state"] == "open" and _opening_key(picture) not in self.handed:
            self.handed[_opening_key(picture)] = [at, None]

    async def relay(self, text, event):
        if event["type"] == "live.question":
            self._hand_over(event, timezone.now())
        await super().relay(text, event)
        if event["type"] == "live.question" and event["state"] == "revealed":
            self.in_background(self.send_result())

    async def send_result(self):
        """This phone's ``live.result``, read in one batch with every other phone's."""
        await self.send_json(await results_batcher().submit((self.round.pk, self.registration)))

    async def on_seen(self, message):
        """The phone's receipt of a question: the round trip since it was handed over."""
        now = timezone.now()
        for (index, _opened), timing in self.handed.items():
            if index == message["index"] and timing[0] is not None and timing[1] is None:
                timing[1] = (now - timing[0]).total_seconds()

    def answer_item(self, message):
        item = super().answer_item(message)
        if not _is_live(self.round):
            return item
        handed = [timing for (index, _opened), timing in self.handed.items() if index == message["slot"]]
        sent_at, rtt = handed[-1] if handed else (None, None)
        return dataclasses.replace(item, sent_at=sent_at, rtt_seconds=rtt or 0.0)

    async def on_answer(self, message):
        result = await super().on_answer(message)
        if result.ok and _is_live(self.round):
            schedule_early_close_check(self.round.pk)
        return result


# Round ids with an early-close check waiting to run, per event loop (one per process).
_checks: dict[tuple[asyncio.AbstractEventLoop, int], bool] = {}
_tasks: set[asyncio.Task] = set()


def schedule_early_close_check(round_id: int) -> None:
    """Check once, shortly, whether everyone joined has answered; however many answers are
    acknowledged meanwhile. Checking after every answer would queue hundreds of reads on the
    database thread that acknowledgements use. An answer acknowledged after a check started
    schedules the next one, so the last answer is never missed."""
    loop = asyncio.get_running_loop()
    if _checks.get((loop, round_id)):
        return
    _checks[(loop, round_id)] = True
    task = loop.create_task(_check_later(loop, round_id))
    _tasks.add(task)  # the loop keeps only a weak reference to a task
    task.add_done_callback(_tasks.discard)


async def _check_later(loop, round_id: int) -> None:
    await asyncio.sleep(EARLY_CLOSE_WINDOW_SECONDS)
    _checks.pop((loop, round_id), None)
    await database_sync_to_async(live_services.close_if_all_answered)(round_id=round_id, now=timezone.now())


class LiveControlConsumer(ControlConsumer):
    def snapshot(self, now):
        frame = super().snapshot(now)
        if _is_live(self.round):
            round_ = Round.objects.get(pk=self.round.pk)
            frame["live"] = live_selectors.live_picture(round_, now=now)
            if frame.get("monitor"):
                frame["monitor"]["live"] = live_selectors.answer_progress(round_)
        return frame

    def monitor(self, now):
        frame = super().monitor(now)
        if _is_live(self.round):
            frame["live"] = live_selectors.answer_progress(Round.objects.get(pk=self.round.pk))
        return frame


class LiveViewerConsumer(ViewerConsumer):
    def snapshot(self, now):
        frame = super().snapshot(now)
        if _is_live(self.round):
            frame["live"] = live_selectors.live_picture(Round.objects.get(pk=self.round.pk), now=now)
        return frame

    def progress(self, now):
        frame = super().progress(now)
        if _is_live(self.round):
            answered = live_selectors.answer_progress(Round.objects.get(pk=self.round.pk))
            frame["live"] = {key: answered[key] for key in ("answered", "expected")}
        return frame
