"""Websocket consumers: thin. Authenticate (session), authorise (contest.permissions), check
every frame (contest.protocol), make one service call per message, relay hub frames.

Consumers never use the channel layer (``channel_layer_alias`` names none): broadcasts come
through the process's hub (contest.hub), so a Redis outage cannot close them. Message types
and fields are documented in docs/protocol.md.
"""

import asyncio
import logging
import re
import uuid
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import timezone
from django.utils.translation import gettext as _

from contest import clock, events, hub, permissions, protocol
from contest import snapshots as snap
from contest.background_reads import background_read
from contest.batcher import answer_batcher, attempt_update_batcher, connection_batcher, entry_batcher
from contest.models import Round
from contest.services import answers, entry
from contest.services import attempts as attempt_services
from contest.services import rounds as round_services
from contest.services.errors import DomainError

logger = logging.getLogger(__name__)

NO_LAYER = "hoithi-hub-only"  # not a configured layer: Channels then attaches none
CLOSE_TAKEOVER, CLOSE_FORBIDDEN, CLOSE_NOT_FOUND = 4001, 4003, 4004
DEVICE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
REFRESH_SECONDS = 1.0
# Daphne's limit on one websocket message (its --websocket_max_message_size, 1 MiB).
MAX_OUTBOUND_BYTES = 1024 * 1024
MAX_OUTBOUND_CHARS = MAX_OUTBOUND_BYTES // 4  # shorter text cannot be over, whatever it holds


class RoundSocket(AsyncWebsocketConsumer):
    """What every endpoint shares: access check, hub membership, frame parsing, errors."""

    endpoint = ""
    channel_layer_alias = NO_LAYER

    async def connect(self):
        await self.accept()  # first: the handshake never waits for the database
        clock.ensure_started()
        self.joined, self.refresh_task = [], None
        refusal = await database_sync_to_async(self.authorise)()
        if refusal is not None:
            await self.refuse(refusal)
            return
        self.hub = hub.get_hub()
        for group in self.groups_to_join():
            await self.hub.join(group, self.relay)
            self.joined.append(group)
        await self.joined_round()

    async def refuse(self, code: int):
        if code == CLOSE_NOT_FOUND:
            frame = protocol.error_frame("not_found", _("Không tìm thấy vòng thi."))
        else:
            frame = protocol.error_frame("forbidden", _("Bạn không có quyền vào vòng thi này."))
        await self.send_json(frame)
        await self.close(code=code)

    async def disconnect(self, code):
        for group in getattr(self, "joined", []):
            await self.hub.leave(group, self.relay)
        if getattr(self, "refresh_task", None):
            self.refresh_task.cancel()

    def load_round(self) -> Round | None:
        return (
            Round.objects.select_related("edition")
            .filter(pk=self.scope["url_route"]["kwargs"]["round_id"])
            .first()
        )

    async def receive(self, text_data=None, bytes_data=None):
        ref = None
        try:
            message = protocol.parse(text_data, self.endpoint, bytes_data)
            ref = message.get("id")
            await self.handler_for(message["type"])(message)
        except protocol.ProtocolError as error:
            await self.send_json(protocol.error_frame(error.code, error.message, error.ref))
        except DomainError as error:
            extra = {"reason": error.reason} if error.reason else {}
            await self.send_json(protocol.error_frame(error.code, error.message, ref, **extra))
        except Exception:
            logger.exception("%s message failed", self.endpoint)
            await self.send_json(
                protocol.error_frame("internal", _("Lỗi máy chủ; chưa có gì thay đổi."), ref)
            )

    def handler_for(self, message_type: str):
        """``on_<type>``; the schema check guarantees the type is one of this endpoint's."""
        return getattr(self, "on_" + message_type)

    async def send_json(self, frame: dict):
        text = events.encode(frame)
        size = len(text) if len(text) <= MAX_OUTBOUND_CHARS else len(text.encode())
        if size > MAX_OUTBOUND_BYTES:
            # Daphne would drop it with an exception in its log and the page would wait for
            # ever: say so instead (the monitor of about 9,000 contestants reaches this).
            logger.error("a %s frame of %d bytes is over what a socket carries", frame.get("type"), size)
            text = events.encode(
                protocol.error_frame(
                    "too_large", _("Dữ liệu quá lớn để gửi qua kết nối này."), frame.get("ref")
                )
            )
        await self.send(text_data=text)

    async def relay(self, text: str, event: dict):
        """A hub frame for this socket; subclasses react to some types."""
        if event["type"] not in events.INTERNAL_TYPES:
            await self.send(text_data=text)

    async def on_ping(self, message):
        await self.send_json(
            {"type": "pong", "id": message["id"], "server_time": snap.server_time_ms(timezone.now())}
        )

    async def on_resync(self, message):
        await self.send_snapshot()

    async def send_snapshot(self, ref=None):
        frame = await database_sync_to_async(self.snapshot)(timezone.now())
        if ref is not None:
            frame["ref"] = ref
        await self.send_json(frame)

    def in_background(self, coroutine) -> None:
        """Run ``coroutine`` without holding up the caller: a hub relay that waited for the
        database would delay the next frame for every socket of the process. Failures are
        logged; the client's next resync puts it right."""
        task = asyncio.get_running_loop().create_task(coroutine)
        _background.add(task)  # the loop keeps only a weak reference to a task
        task.add_done_callback(_finished_in_background)

    def debounce(self, make_frame):
        """At most one refresh per REFRESH_SECONDS, however many hints arrive."""
        if self.refresh_task is None or self.refresh_task.done():
            self.refresh_task = asyncio.get_running_loop().create_task(self._refresh_later(make_frame))

    async def _refresh_later(self, make_frame):
        await asyncio.sleep(REFRESH_SECONDS)
        await self.send_json(await background_read(make_frame)(timezone.now()))


_background: set[asyncio.Task] = set()


def _finished_in_background(task: asyncio.Task) -> None:
    _background.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logger.error("a background send failed", exc_info=task.exception())


class ContestantConsumer(RoundSocket):
    """``/ws/rounds/<id>/play/``: one contestant's lobby and exam."""

    endpoint = "contestant"

    def authorise(self):
        self.round = self.load_round()
        if self.round is None:
            return CLOSE_NOT_FOUND
        self.registration = self.find_registration()
        if self.registration is None or not snap.is_eligible(self.round, self.registration):
            return CLOSE_FORBIDDEN
        device = parse_qs(self.scope.get("query_string", b"").decode()).get("device", [""])[0]
        self.device_id = device if DEVICE_ID.match(device) else ""
        self.connection_id = uuid.uuid4().hex
        self.enters_at_start = False  # set by each snapshot
        return None

    def find_registration(self):
        return permissions.contestant_registration(self.scope["user"], self.round.edition)

    def groups_to_join(self):
        return [
            events.round_group(self.round.pk),
            events.contestant_group(self.round.pk, self.registration.pk),
        ]

    async def joined_round(self):
        item = attempt_services.ConnectIn(
            self.round.pk, self.registration.pk, self.device_id, self.connection_id
        )
        await connection_batcher().submit(item)
        await self.send_snapshot()

    async def disconnect(self, code):
        await super().disconnect(code)
        if hasattr(self, "connection_id") and self.joined:
            await database_sync_to_async(attempt_services.record_disconnect)(
                round_id=self.round.pk,
                registration_id=self.registration.pk,
                connection_id=self.connection_id,
                now=timezone.now(),
            )

    def snapshot(self, now):
        # Read after joining the hub's groups, never reused from authorise(): a change committed
        # in between would otherwise be in neither the snapshot nor a broadcast.
        round_ = Round.objects.get(pk=self.round.pk)
        attempts = entry.contestant_attempts(round_, self.registration)
        # Eligibility was checked at connect; ``enter`` checks it again.
        refusal = entry.entry_refusal(round_, self.registration, now=now, attempts=attempts, eligible=True)
        self.enters_at_start = snap.enters_at_start(round_, attempts, refusal)
        return snap.contestant_snapshot(
            round_, self.registration, attempts=attempts, now=now, entry_refusal=refusal
        )

    async def relay(self, text, event):
        if event["type"] == events.TAKEOVER:
            await self.taken_over(event)
        else:
            await super().relay(text, event)
            if event.get("event") == "round.started" and self.enters_at_start:
                self.enters_at_start = False
                self.in_background(self.enter_at_start())
            if event.get("deadlines_changed"):
                self.in_background(self.send_attempt_update())

    async def taken_over(self, event):
        if event["connection"] != self.connection_id:
            await self.send_json({"type": "takeover", "message": event["message"]})
            await self.close(code=CLOSE_TAKEOVER)

    async def send_attempt_update(self):
        """The running attempt's new deadline, read in one batch with every other socket's."""
        frame = await attempt_update_batcher().submit((self.round.pk, self.registration.pk))
        if frame is not None:
            await self.send_json(frame)

    async def on_enter(self, message):
        frame = await self.enter(message.get("access_code", ""))
        if isinstance(frame, Exception):
            raise frame
        await self.send_json({**frame, "ref": message["id"]})

    async def enter_at_start(self):
        """A contestant who waited in the lobby is entered by the server the moment the round
        starts, and gets the snapshot with the paper unasked: at a synchronous start that is
        one frame per contestant instead of a request and its reply. A refusal sends the lobby
        a fresh snapshot, which says why."""
        frame = await self.enter("")
        if isinstance(frame, Exception):
            await self.send_snapshot()
        else:
            await self.send_json(frame)

    async def enter(self, access_code: str):
        """The entered snapshot, or the refusal (an exception, returned): in one batch with
        every other entry of the moment."""
        item = entry.EnterIn(
            self.round.pk, self.registration, access_code, self.device_id, self.connection_id
        )
        return await entry_batcher().submit(item)

    def answer_item(self, message) -> answers.AnswerIn:
        return answers.AnswerIn(
            round_id=self.round.pk,
            registration_id=self.registration.pk,
            client_message_id=message["id"],
            slot=message["slot"],
            base=message["base"],
            response=message["response"],
            received_at=timezone.now(),
            attempt_id=message.get("attempt"),
            device_id=self.device_id,
        )

    async def on_answer(self, message):
        result = await answer_batcher().submit(self.answer_item(message))
        await self.send_json(answer_frame(message["id"], result))
        return result

    async def on_flag(self, message):
        await database_sync_to_async(attempt_services.set_flag)(
            round_id=self.round.pk,
            registration_id=self.registration.pk,
            slot=message["slot"],
            flagged=message["flagged"],
        )

    async def on_focus(self, message):
        await database_sync_to_async(attempt_services.record_focus)(
            round_id=self.round.pk,
            registration_id=self.registration.pk,
            state=message["state"],
            device_id=self.device_id,
            now=timezone.now(),
        )

    async def on_submit(self, message):
        attempt = await database_sync_to_async(attempt_services.submit_own_attempt)(
            round_=self.round, registration=self.registration, now=timezone.now()
        )
        frame = await database_sync_to_async(snap.attempt_update)(attempt, now=timezone.now())
        await self.send_json({**frame, "type": "submitted", "ref": message["id"]})


def answer_frame(ref: str, result) -> dict:
    if result.ok:
        return {
            "type": "ack",
            "ref": ref,
            "slot": result.slot,
            "revision": result.revision,
            "saved_at": result.saved_at,
        }
    return {
        "type": "refused",
        "ref": ref,
        "slot": result.slot,
        "reason": result.reason,
        "message": result.message,
        "current": result.current,
    }


COMMANDS = {
    "schedule": lambda r, m, **kw: round_services.schedule_round(round_=r, **kw),
    "unschedule": lambda r, m, **kw: round_services.unschedule_round(round_=r, **kw),
    "start": lambda r, m, **kw: round_services.start_round(round_=r, **kw),
    "pause": lambda r, m, **kw: round_services.pause_round(round_=r, **kw),
    "resume": lambda r, m, **kw: round_services.resume_round(round_=r, **kw),
    "close": lambda r, m, **kw: round_services.close_round(round_=r, **kw),
    "reset": lambda r, m, **kw: round_services.reset_practice_round(round_=r, **kw),
    "extend_all": lambda r, m, **kw: round_services.extend_round(round_=r, minutes=m["minutes"], **kw),
    "extend_one": lambda r, m, **kw: round_services.extend_attempt(
        round_=r, attempt_id=m["attempt"], minutes=m["minutes"], **kw
    ),
    "force_submit": lambda r, m, **kw: round_services.force_submit(round_=r, attempt_id=m["attempt"], **kw),
    "announce": lambda r, m, **kw: round_services.announce(round_=r, text=m["text"], **kw),
}


class ControlConsumer(RoundSocket):
    """``/ws/rounds/<id>/control/``: the organiser's control panel and live monitor."""

    endpoint = "control"

    def authorise(self):
        self.round = self.load_round()
        if self.round is None:
            return CLOSE_NOT_FOUND
        self.user = self.scope["user"]
        return None if permissions.is_organiser(self.user, self.round.edition) else CLOSE_FORBIDDEN

    def groups_to_join(self):
        return [events.round_group(self.round.pk), events.control_group(self.round.pk)]

    async def joined_round(self):
        await self.send_snapshot()

    def snapshot(self, now):
        return snap.control_snapshot(Round.objects.get(pk=self.round.pk), now=now)

    def monitor(self, now):
        return snap.monitor(Round.objects.get(pk=self.round.pk), now=now)

    async def relay(self, text, event):
        await super().relay(text, event)
        if event["type"] in (events.PROGRESS_HINT, events.ROUND_STATE):
            self.debounce(self.monitor)

    async def on_monitor(self, message):
        await self.send_json(await database_sync_to_async(self.monitor)(timezone.now()))

    def handler_for(self, message_type: str):
        return self.run_command if message_type in COMMANDS else super().handler_for(message_type)

    def command(self, message):
        round_ = Round.objects.get(pk=self.round.pk)
        COMMANDS[message["type"]](round_, message, actor=self.user, now=timezone.now(), ip=self.client_ip())
        return snap.round_info(Round.objects.get(pk=self.round.pk))

    def client_ip(self):
        client = self.scope.get("client") or [None]
        return client[0]

    async def run_command(self, message):
        round_info = await database_sync_to_async(self.command)(message)
        await self.send_json(
            {"type": "done", "ref": message["id"], "action": message["type"], "round": round_info}
        )


class ViewerConsumer(RoundSocket):
    """``/ws/rounds/<id>/view/``: projector and monitor screens. Sees progress, never scores
    during an exam; the scoreboard issue adds its ``board`` frames here."""

    endpoint = "viewer"

    def authorise(self):
        self.round = self.load_round()
        if self.round is None:
            return CLOSE_NOT_FOUND
        return (
            None if permissions.can_view_judging(self.scope["user"], self.round.edition) else CLOSE_FORBIDDEN
        )

    def groups_to_join(self):
        return [events.round_group(self.round.pk), events.control_group(self.round.pk)]

    async def joined_round(self):
        await self.send_snapshot()

    def snapshot(self, now):
        return snap.viewer_snapshot(Round.objects.get(pk=self.round.pk), now=now)

    def progress(self, now):
        return {"type": "progress", "progress": snap.progress(Round.objects.get(pk=self.round.pk))}

    async def relay(self, text, event):
        await super().relay(text, event)
        if event["type"] in (events.PROGRESS_HINT, events.ROUND_STATE):
            self.debounce(self.progress)
