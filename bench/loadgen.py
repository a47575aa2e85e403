"""The load generator: simulated contestants, an organiser and projector viewers, in ONE asyncio
process of their own, speaking docs/protocol.md over real websockets on loopback.

Run by the harness (bench/round_bench.py, bench/simulate.py), never by hand:

    python -m bench.loadgen PLAN.json RESULT.json

The plan names the target ("hoithi" or the raw "reference"), the ports (clients are spread over
them as a proxy would), the sessions to present as cookies, and the scenario. Between phases
the generator prints ``MARK <name>`` and waits for a line on stdin, so that the harness can
sample the servers' memory and CPU at known moments. Every wait is bounded; every figure is
measured on this process's monotonic clock.
"""

import asyncio
import contextlib
import json
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

import orjson
from websockets.asyncio.client import connect

from bench import responses
from bench.servers import raise_open_files

CONNECT_TIMEOUT = 60.0
PHASE_TIMEOUT = 120.0
ACK_GRACE = 20.0


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100) of ``values``; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, int(round(q / 100 * len(ordered) + 0.5)) - 1))
    return ordered[rank]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def summary(latencies: list[float]) -> dict:
    return {
        "p50_ms": ms(percentile(latencies, 50)),
        "p95_ms": ms(percentile(latencies, 95)),
        "p99_ms": ms(percentile(latencies, 99)),
        "max_ms": ms(max(latencies) if latencies else None),
        "count": len(latencies),
    }


class Socket:
    """One websocket client: reads every frame, hands it to ``on_<type>`` of its owner."""

    def __init__(self, gen: "LoadGen", url: str, session: str | None, origin: str):
        self.gen, self.url, self.session, self.origin = gen, url, session, origin
        self.ws = None
        self.ready = asyncio.Event()
        self.closed_code: int | None = None
        self.reader: asyncio.Task | None = None

    async def open(self) -> None:
        headers = {"Origin": self.origin}
        if self.session:
            headers["Cookie"] = f"sessionid={self.session}"
        # No compression (Daphne declines it anyway) and no client pings (browsers send none).
        self.ws = await connect(
            self.url,
            additional_headers=headers,
            open_timeout=CONNECT_TIMEOUT,
            ping_interval=None,
            compression=None,
            max_size=2**23,
            max_queue=None,
        )
        self.reader = asyncio.get_running_loop().create_task(self._read())

    async def _read(self) -> None:
        try:
            async for text in self.ws:
                at = time.perf_counter()
                frame = orjson.loads(text)
                handler = getattr(self, "on_" + frame.get("type", "").replace(".", "_"), None)
                if handler is not None:
                    handler(frame, at)
                else:
                    self.gen.unexpected[frame.get("type")] += 1
        except Exception as exc:  # a dropped socket is a measured failure
            self.gen.errors[f"socket:{type(exc).__name__}"] += 1
        finally:
            self.closed_code = self.ws.close_code if self.ws is not None else None

    def send(self, frame: dict) -> None:
        asyncio.get_running_loop().create_task(self._send(orjson.dumps(frame).decode()))

    async def _send(self, text: str) -> None:
        try:
            await self.ws.send(text)
        except Exception as exc:
            self.gen.errors[f"send:{type(exc).__name__}"] += 1

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):  # closing at the end; nothing to measure
                await asyncio.wait_for(self.ws.close(), 5)
        if self.reader is not None:
            self.reader.cancel()

    def on_snapshot(self, frame, at):
        self.ready.set()

    def on_error(self, frame, at):
        self.gen.errors[f"error:{frame.get('code')}"] += 1

    def on_pong(self, frame, at):
        pass

    def on_resync(self, frame, at):
        self.send({"type": "resync"})

    def on_live_question(self, frame, at):
        pass

    def on_live_result(self, frame, at):
        pass


class Organiser(Socket):
    def __init__(self, *args):
        super().__init__(*args)
        self.done: dict[str, asyncio.Future] = {}
        self.live_state: str | None = None

    def command(self, frame: dict) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self.done[frame["id"]] = future
        self.send(frame)
        return future

    def on_done(self, frame, at):
        future = self.done.pop(frame["ref"], None)
        if future is not None and not future.done():
            future.set_result(frame)

    def on_error(self, frame, at):
        future = self.done.pop(frame.get("ref"), None)
        if future is not None and not future.done():
            future.set_result(frame)
        super().on_error(frame, at)

    def on_monitor(self, frame, at):
        pass

    def on_live_question(self, frame, at):
        self.live_state = frame.get("state")

    def on_round_state(self, frame, at):
        pass

    def on_announcement(self, frame, at):
        pass


class Viewer(Socket):
    """A projector screen on the scoreboard endpoint. A contestant's answer has reached the
    board when the contestant's row shows at least the number of answered questions that the
    answer made (rows are matched by name: the benchmark's names are unique)."""

    def __init__(self, *args):
        super().__init__(*args)
        self.boards: list[float] = []
        self.seen: dict[str, int] = {}
        self.latencies: list[float] = []

    def on_board(self, frame, at):
        self.ready.set()  # the board socket's first frame is its snapshot
        self.boards.append(at)
        waiting = self.gen.answered_marks
        for row in frame.get("rows") or ():
            answered = row.get("answered")
            marks = waiting.get(row.get("name"))
            if answered is None or not marks:
                continue
            done = self.seen.get(row["name"], 0)
            while done < len(marks) and marks[done][0] <= answered:
                if marks[done][1] <= at:
                    self.latencies.append(at - marks[done][1])
                done += 1
            self.seen[row["name"]] = done

    def on_progress(self, frame, at):
        pass

    def on_round_state(self, frame, at):
        pass

    def on_announcement(self, frame, at):
        pass


class Contestant(Socket):
    """Behaves as static/js/exam.js: waits in the lobby, resyncs on ``round.started`` and enters
    when the snapshot says it may; answers against the latest acknowledged revision."""

    def __init__(self, gen, url, session, origin, index: int):
        super().__init__(gen, url, session, origin)
        self.index = index
        self.rng = random.Random(gen.plan.get("seed", 1) * 100_003 + index)
        self.paper: list[dict] | None = None
        self.attempt_id: int | None = None
        self.revisions: dict[int, int] = {}
        self.pending: dict[str, tuple[int, float, str]] = {}
        self.sent = 0
        self.enter_id: str | None = None
        self.entry_refusal: str | None = None
        self.waited_in_lobby = False
        self.has_paper = asyncio.Event()
        self.paper_at: float | None = None
        self.announcements: dict[str, float] = {}
        self.submitted = asyncio.Event()
        self.name = ""
        self.answered: set[int] = set()
        self.entered = asyncio.Event()
        self.live_open: dict[tuple, float] = {}

    # -- frames --------------------------------------------------------------------------

    def on_snapshot(self, frame, at):
        super().on_snapshot(frame, at)
        round_, attempt = frame.get("round") or {}, frame.get("attempt")
        if self.enter_id is not None and frame.get("ref") == self.enter_id:
            self.entered.set()
        self.name = (frame.get("contestant") or {}).get("name", self.name)
        self.entry_refusal = frame.get("entry_refusal")
        self.answered.update(int(slot) for slot in frame.get("answers") or {})
        if round_.get("state") not in ("open", None):
            self.waited_in_lobby = True
        if attempt is not None:
            self.attempt_id = attempt["id"]
            if attempt["state"] == "submitted":
                self.submitted.set()
        for slot, answer in (frame.get("answers") or {}).items():
            self.revisions[int(slot)] = answer["revision"]
        if frame.get("paper") is not None and self.paper is None:
            self.paper = frame["paper"]
            self.paper_at = at
            self.has_paper.set()
        may_enter = frame.get("can_enter") and round_.get("state") == "open"
        if (
            self.paper is None
            and may_enter
            and (self.waited_in_lobby or self.gen.plan.get("enter_when_open"))
        ):
            self.enter()

    def on_round_state(self, frame, at):
        if frame.get("event") == "round.started" and self.entered_at_start(frame["round"]):
            if frame["round"].get("mode") == "live":
                self.enter()  # a phone enters by itself (live-play.js)
        elif frame.get("event") in ("round.started", "round.resumed", "round.closed"):
            self.send({"type": "resync"})

    def entered_at_start(self, round_: dict) -> bool:
        """As exam.js: a contestant who waited in the lobby of an exam round is entered by the
        server, which sends the paper unasked."""
        return (
            self.waited_in_lobby
            and self.entry_refusal == "not_open"
            and not round_.get("requires_access_code")
            and self.paper is None
        )

    def on_announcement(self, frame, at):
        self.announcements.setdefault(frame["text"], at)

    def on_ack(self, frame, at):
        sent = self.pending.pop(frame["ref"], None)
        if sent is None:
            return
        slot, sent_at, phase = sent
        self.revisions[slot] = max(self.revisions.get(slot, 0), frame["revision"])
        if slot not in self.answered and phase == "answers":
            self.answered.add(slot)
            self.gen.answered_marks.setdefault(self.name, []).append((len(self.answered), at))
        self.gen.record_ack(phase, at - sent_at, at, [self.attempt_id, frame["ref"], slot, frame["revision"]])

    def on_refused(self, frame, at):
        sent = self.pending.pop(frame["ref"], None)
        self.gen.errors[f"refused:{frame.get('reason')}"] += 1
        if frame.get("current"):
            self.revisions[frame["slot"]] = frame["current"]["revision"]
        if sent is not None:
            self.gen.phase_errors[sent[2]] += 1

    def on_error(self, frame, at):
        super().on_error(frame, at)
        sent = self.pending.pop(frame.get("ref") or "", None)
        if sent is not None:
            self.gen.phase_errors[sent[2]] += 1

    def on_submitted(self, frame, at):
        self.submitted.set()

    def on_live_question(self, frame, at):
        """A phone shows the question and says so (``seen``); the live scenario answers it."""
        if frame.get("state") != "open" or not frame.get("question"):
            return
        key = (frame["index"], frame.get("opened_at"))
        if key not in self.live_open:
            self.live_open[key] = at
            self.send({"type": "seen", "index": frame["index"]})
            if self.gen.on_live_open is not None:
                self.gen.on_live_open(self, frame, at)

    def on_attempt_updated(self, frame, at):
        pass

    def on_takeover(self, frame, at):
        self.gen.errors["takeover"] += 1

    # -- actions ---------------------------------------------------------------------------

    def enter(self) -> None:
        if self.enter_id is None:
            self.enter_id = f"e-{self.index}"
            self.send({"type": "enter", "id": self.enter_id, "access_code": ""})

    def answer(self, phase: str, question: dict | None = None) -> bool:
        """Send one answer (to ``question``, or the next free one); False when there is none."""
        if question is None:
            busy = {pending[0] for pending in self.pending.values()}
            questions = self.paper or [{"slot": i, "qtype": "single"} for i in range(30)]
            free = [q for q in questions if q["slot"] not in busy and responses.answerable(q)]
            if not free:
                return False
            question = free[self.sent % len(free)]
        self.sent += 1
        message_id = f"a{self.index}-{self.sent}"
        slot = question["slot"]
        frame = {
            "type": "answer",
            "id": message_id,
            "slot": slot,
            "base": self.revisions.get(slot, 0),
            "response": responses.make(question, self.rng),
        }
        if self.attempt_id is not None:
            frame["attempt"] = self.attempt_id
        self.pending[message_id] = (slot, time.perf_counter(), phase)
        self.gen.sent[phase] += 1
        self.send(frame)
        return True


class LoadGen:
    def __init__(self, plan: dict):
        self.plan = plan
        self.reference = plan["target"] == "reference"
        self.errors: Counter = Counter()
        self.unexpected: Counter = Counter()
        self.phase_errors: Counter = Counter()
        self.sent: Counter = Counter()
        self.acks: dict[str, list[float]] = {}
        self.ack_times: dict[str, list[float]] = {}
        self.acked: list[list] = []
        self.answered_marks: dict[str, list[tuple[int, float]]] = {}
        self.on_live_open = None  # set by the live scenario (bench/live_clients.py)
        self.result: dict = {"target": plan["target"]}
        ports = plan["ports"]
        self.contestants = [
            Contestant(
                self, self.url(ports[i % len(ports)], "play"), session, self.origin(ports[i % len(ports)]), i
            )
            for i, session in enumerate(plan["contestants"])
        ]
        self.organiser = Organiser(
            self, self.url(ports[0], "control"), plan.get("organiser"), self.origin(ports[0])
        )
        self.viewers = [
            Viewer(
                self,
                self.url(ports[i % len(ports)], plan.get("viewer_endpoint", "view")),
                plan.get("organiser"),
                self.origin(ports[i % len(ports)]),
            )
            for i in range(0 if self.reference else plan.get("viewers", 0))
        ]

    def url(self, port: int, endpoint: str) -> str:
        if self.reference:
            return f"ws://127.0.0.1:{port}/"
        suffix = {"play": "?device=bench", "board": "?view=individual"}.get(endpoint, "")
        return f"ws://127.0.0.1:{port}/ws/rounds/{self.plan['round']}/{endpoint}/{suffix}"

    @staticmethod
    def origin(port: int) -> str:
        return f"http://127.0.0.1:{port}"

    def record_ack(self, phase: str, latency: float, at: float, row: list) -> None:
        self.acks.setdefault(phase, []).append(latency)
        self.ack_times.setdefault(phase, []).append(at)
        self.acked.append(row)

    async def mark(self, name: str) -> None:
        """Tell the harness where we are and wait until it has sampled the servers."""
        self.result.setdefault("phase_seconds", {})[name] = round(time.perf_counter() - self.began, 2)
        print(f"MARK {name}", flush=True)
        await asyncio.to_thread(sys.stdin.readline)

    # -- phases ----------------------------------------------------------------------------

    async def connect_all(self) -> None:
        gate = asyncio.Semaphore(self.plan.get("connect_concurrency", 100))
        failed = 0

        async def one(socket: Socket) -> None:
            nonlocal failed
            async with gate:
                try:
                    await socket.open()
                    await asyncio.wait_for(socket.ready.wait(), CONNECT_TIMEOUT)
                except Exception as exc:  # counted; the run goes on
                    failed += socket in self.contestants
                    self.errors[f"connect:{type(exc).__name__}"] += 1

        # Organiser and viewers first: the servers' one-off costs (application, database
        # connection, hub, clock) are then in the baseline, not in the memory per contestant.
        await asyncio.gather(one(self.organiser), *(one(v) for v in self.viewers))
        await self.mark("warm")
        started = time.perf_counter()
        await asyncio.gather(*(one(c) for c in self.contestants))
        seconds = time.perf_counter() - started
        self.result["connect"] = {
            "ok": len(self.contestants) - failed,
            "failed": failed,
            "seconds": round(seconds, 2),
        }

    async def start_round(self) -> None:
        started = time.perf_counter()
        done = await asyncio.wait_for(
            self.organiser.command({"type": "start", "id": "c-start"}), PHASE_TIMEOUT
        )
        done_seconds = time.perf_counter() - started
        waiting = [c.has_paper.wait() for c in self.contestants if c.ready.is_set()]
        await self.bounded(waiting)
        latencies = [c.paper_at - started for c in self.contestants if c.paper_at is not None]
        self.result["round_start"] = {
            **summary(latencies),
            "missing": len(self.contestants) - len(latencies),
            "organiser_done_ms": ms(done_seconds) if done.get("type") == "done" else None,
            "organiser_reply": done.get("type"),
        }

    async def bounded(self, waits: list, timeout: float = PHASE_TIMEOUT) -> None:
        if waits:
            await asyncio.wait([asyncio.ensure_future(w) for w in waits], timeout=timeout)

    async def broadcast(self) -> None:
        latencies, missing = [], 0
        for k in range(self.plan.get("broadcasts", 3)):
            text = f"Thông báo đo tải số {k + 1}: còn 5 phút."
            started = time.perf_counter()
            await self.organiser.command({"type": "announce", "id": f"c-ann-{k}", "text": text})
            deadline = time.monotonic() + 30
            live = [c for c in self.contestants if c.ready.is_set()]
            while time.monotonic() < deadline and any(text not in c.announcements for c in live):
                await asyncio.sleep(0.02)
            got = [c.announcements[text] - started for c in live if text in c.announcements]
            latencies += got
            missing += len(live) - len(got)
            await asyncio.sleep(0.5)
        self.result["broadcast"] = {**summary(latencies), "missing": missing}

    async def answer_phase(self, phase: str, duration: float, interval: float) -> None:
        """Each contestant answers every ``interval`` seconds (±10 %) for ``duration``."""
        until = time.perf_counter() + duration

        async def one(contestant: Contestant) -> None:
            await asyncio.sleep(contestant.rng.uniform(0, interval))
            while time.perf_counter() < until:
                contestant.answer(phase)
                await asyncio.sleep(interval * contestant.rng.uniform(0.9, 1.1))

        started = time.perf_counter()
        await asyncio.gather(*(one(c) for c in self.answering()))
        await self.drain(phase)
        self.finish_answers(phase, time.perf_counter() - started if duration == 0 else duration)

    async def rush_phase(self) -> None:
        """The last-seconds rush: every contestant answers once within the same second."""

        async def one(contestant: Contestant) -> None:
            await asyncio.sleep(contestant.rng.uniform(0, 1.0))
            contestant.answer("rush")

        started = time.perf_counter()
        await asyncio.gather(*(one(c) for c in self.answering()))
        await self.drain("rush")
        self.finish_answers("rush", time.perf_counter() - started)

    def answering(self) -> list[Contestant]:
        if self.reference:
            return [c for c in self.contestants if c.ready.is_set()]
        return [c for c in self.contestants if c.paper is not None]

    async def drain(self, phase: str) -> None:
        deadline = time.monotonic() + ACK_GRACE
        while time.monotonic() < deadline and any(
            p[2] == phase for c in self.contestants for p in c.pending.values()
        ):
            await asyncio.sleep(0.05)

    def finish_answers(self, phase: str, seconds: float) -> None:
        latencies = self.acks.get(phase, [])
        unanswered = sum(1 for c in self.contestants for p in c.pending.values() if p[2] == phase)
        self.result[phase] = {
            "ack_p50_ms": ms(percentile(latencies, 50)),
            "ack_p95_ms": ms(percentile(latencies, 95)),
            "ack_p99_ms": ms(percentile(latencies, 99)),
            "ack_max_ms": ms(max(latencies) if latencies else None),
            "per_s": round(len(latencies) / seconds, 1) if seconds > 0 else None,
            "sent": self.sent[phase],
            "acked": len(latencies),
            "errors": self.phase_errors[phase] + unanswered,
            "unanswered": unanswered,
        }

    def scoreboard(self) -> dict | None:
        """From each acknowledged answer (that answered a new question) to the first ``board``
        frame at each viewer whose row for that contestant shows it."""
        if not any(v.boards for v in self.viewers):
            return None
        latencies = [latency for v in self.viewers for latency in v.latencies]
        span = self.result["answers_window"]
        per_viewer = sum(sum(1 for t in v.boards if span[0] <= t <= span[1]) for v in self.viewers) / max(
            1, len(self.viewers)
        )
        return {
            "p50_ms": ms(percentile(latencies, 50)),
            "p99_ms": ms(percentile(latencies, 99)),
            "msgs_per_viewer_per_s": round(per_viewer / max(1e-9, span[1] - span[0]), 2),
            "answers_seen": len(latencies),
            "answers_to_see": sum(len(marks) for marks in self.answered_marks.values()) * len(self.viewers),
        }

    async def close_all(self) -> None:
        await asyncio.gather(*(s.close() for s in [*self.contestants, self.organiser, *self.viewers]))

    # -- scenarios ---------------------------------------------------------------------------

    async def run_bench(self) -> None:
        await self.connect_all()
        await self.mark("connected")
        if not self.reference:
            await self.start_round()
        await self.broadcast()
        await self.mark("answers")
        window_start = time.perf_counter()
        await self.answer_phase("answers", self.plan["duration"], self.plan["answer_interval"])
        self.result["answers_window"] = [window_start, time.perf_counter()]
        await self.mark("answered")
        if self.plan.get("rush"):
            await self.rush_phase()
        self.result["scoreboard"] = None if self.reference else self.scoreboard()
        self.result["viewer_frames"] = sum(len(v.boards) for v in self.viewers)

    async def run(self) -> dict:
        started, cpu = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
        self.began = started
        try:
            if self.plan.get("scenario") == "simulate":
                from bench.simulate_clients import play_round

                await play_round(self)
            elif self.plan.get("mode") == "live" and not self.reference:
                from bench.live_clients import run_live

                await run_live(self)
            else:
                await self.run_bench()
        finally:
            self.result.setdefault("phase_seconds", {})["done"] = round(time.perf_counter() - started, 2)
            await self.close_all()
        used = resource.getrusage(resource.RUSAGE_SELF)
        wall = time.perf_counter() - started
        self.result["loadgen"] = {
            "cpu_seconds": round(used.ru_utime + used.ru_stime - cpu.ru_utime - cpu.ru_stime, 2),
            "wall_seconds": round(wall, 2),
        }
        self.result["errors"] = dict(self.errors)
        self.result["unexpected_frames"] = dict(self.unexpected)
        self.result.pop("answers_window", None)
        return self.result


def main(plan_path: str, result_path: str) -> None:
    raise_open_files()
    plan = json.loads(Path(plan_path).read_text())
    generator = LoadGen(plan)
    result = asyncio.run(generator.run())
    Path(plan["acked_path"]).write_text(json.dumps(generator.acked))
    Path(result_path).write_text(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
