"""The load generator's live scenario (``--mode live``): a host-paced round on a stage.

The organiser starts the round (contestants waiting in the lobby enter, as in exam mode), sends
the announcements, then plays questions one after another: ``open_question``; every phone
receives ``live.question``, says ``seen`` and answers after a random delay within the answer
window; once everyone has answered (the server then closes the question by itself) or the time
is up, ``reveal``, ``show_leaderboard``, ``next_question``. As many questions are played as fit
in the duration, then one more where everyone answers within the same second (the rush).

Figures: ``round_start`` is, per question, from the host's ``open_question`` to each phone
holding the question; answers and the scoreboard are measured as in exam mode.
"""

import asyncio
import math
import time

from bench.loadgen import PHASE_TIMEOUT, summary

TRANSITIONS = ("reveal", "show_leaderboard", "next_question")


async def _command(gen, kind: str, **fields) -> dict:
    frame = {"type": kind, "id": f"c-{kind}-{time.perf_counter_ns()}", **fields}
    return await asyncio.wait_for(gen.organiser.command(frame), PHASE_TIMEOUT)


async def _enter_everyone(gen) -> None:
    done = await _command(gen, "start")
    if done.get("type") != "done":
        raise RuntimeError(f"start refused: {done}")
    await gen.bounded([c.entered.wait() for c in gen.contestants if c.ready.is_set()])


async def _question(gen, phase: str, window: float, openings: list[float]) -> None:
    """One question: open it, every entered phone answers within ``window`` seconds."""
    opened = time.perf_counter()

    def on_open(contestant, frame, at):
        openings.append(at - opened)
        delay = contestant.rng.uniform(0, window)
        question = {**frame["question"], "slot": frame["index"]}  # a live answer names the index
        asyncio.get_running_loop().call_later(delay, contestant.answer, phase, question)

    gen.on_live_open = on_open
    seconds = max(5, math.ceil(window) + 5)
    done = await _command(gen, "open_question", seconds=seconds)
    if done.get("type") != "done":
        raise RuntimeError(f"open_question refused: {done}")
    await asyncio.sleep(window)
    await gen.drain(phase)
    gen.on_live_open = None
    # Closed by the server once everyone answered, else by the clock when the time is up.
    deadline = opened + seconds + 5
    while gen.organiser.live_state != "closed" and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    for kind in TRANSITIONS:
        reply = await _command(gen, kind)
        if reply.get("type") != "done":
            gen.errors[f"live:{kind}:{reply.get('code')}"] += 1


async def run_live(gen) -> None:
    plan = gen.plan
    await gen.connect_all()
    await gen.mark("connected")
    started = time.perf_counter()
    await _enter_everyone(gen)
    gen.result["entered"] = {
        "seconds": round(time.perf_counter() - started, 2),
        "count": sum(1 for c in gen.contestants if c.entered.is_set()),
    }
    await gen.broadcast()
    await gen.mark("answers")
    window = min(plan["answer_interval"], 10.0)
    openings: list[float] = []
    began = time.perf_counter()
    questions = 0
    while questions == 0 or time.perf_counter() - began + window + 3 < plan["duration"]:
        await _question(gen, "answers", window, openings)
        questions += 1
    gen.result["answers_window"] = [began, time.perf_counter()]
    gen.finish_answers("answers", time.perf_counter() - began)
    gen.result["round_start"] = {**summary(openings), "questions": questions, "missing": 0}
    await gen.mark("answered")
    if plan.get("rush"):
        rush_began = time.perf_counter()
        await _question(gen, "rush", 1.0, [])
        gen.finish_answers("rush", time.perf_counter() - rush_began)
    gen.result["scoreboard"] = gen.scoreboard()
    gen.result["viewer_frames"] = sum(len(v.boards) for v in gen.viewers)
