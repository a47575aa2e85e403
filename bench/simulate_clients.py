"""The load generator's ``simulate`` scenario: contestants play a whole exam round as people do.

Each contestant waits in the lobby (or enters at once when the round is already open), then
works through the paper in order with a think time per question (15-60 s, divided by
``speed``), answers right with a personal probability ("skill", 35-90 %), sometimes goes back
to change an earlier answer, flags a question for review, loses focus now and then, and submits
at the end; the organiser closes the round once everyone has submitted (unless told not to).
Right answers come from ``plan["keys"]`` (stem HTML -> a correct response), which the harness
reads from the question bank: the browser's paper never carries a key.
"""

import asyncio
import time

from bench import responses

THINK_SECONDS = (15.0, 60.0)
SKILL = (0.35, 0.9)


def _response(gen, contestant, question: dict, skill: float) -> dict:
    key = gen.plan.get("keys", {}).get(question.get("stem_html", ""))
    if key is not None and contestant.rng.random() < skill:
        return key
    return responses.make(question, contestant.rng)


async def _think(contestant, speed: float) -> None:
    await asyncio.sleep(contestant.rng.uniform(*THINK_SECONDS) / speed)


async def _answer(gen, contestant, question: dict, skill: float) -> None:
    contestant.sent += 1
    message_id = f"s{contestant.index}-{contestant.sent}"
    slot = question["slot"]
    frame = {
        "type": "answer",
        "id": message_id,
        "slot": slot,
        "base": contestant.revisions.get(slot, 0),
        "response": _response(gen, contestant, question, skill),
    }
    if contestant.attempt_id is not None:
        frame["attempt"] = contestant.attempt_id
    contestant.pending[message_id] = (slot, time.perf_counter(), "answers")
    gen.sent["answers"] += 1
    contestant.send(frame)
    deadline = time.monotonic() + 30
    while message_id in contestant.pending and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


async def _play(gen, contestant, speed: float, until: float) -> None:
    try:
        await asyncio.wait_for(contestant.has_paper.wait(), 120)
    except TimeoutError:
        gen.errors["no_paper"] += 1
        return
    skill = contestant.rng.uniform(*SKILL)
    questions = [q for q in contestant.paper if responses.answerable(q)]
    for question in questions:
        if time.monotonic() > until or contestant.submitted.is_set():
            return
        await _think(contestant, speed)
        await _answer(gen, contestant, question, skill)
        roll = contestant.rng.random()
        if roll < 0.05:
            contestant.send({"type": "flag", "slot": question["slot"], "flagged": True})
        elif roll < 0.08:
            contestant.send({"type": "focus", "state": "lost"})
            await asyncio.sleep(contestant.rng.uniform(2, 10) / speed)
            contestant.send({"type": "focus", "state": "back"})
    if questions and contestant.rng.random() < 0.3:  # a second look at one answer
        await _think(contestant, speed)
        await _answer(gen, contestant, contestant.rng.choice(questions), skill)
    contestant.send({"type": "submit", "id": f"sub-{contestant.index}"})
    try:
        await asyncio.wait_for(contestant.submitted.wait(), 30)
    except TimeoutError:
        gen.errors["not_submitted"] += 1


async def play_round(gen) -> None:
    plan = gen.plan
    speed = max(0.01, float(plan.get("speed", 1.0)))
    await gen.connect_all()
    await gen.mark("connected")
    if plan.get("round_state") in ("draft", "scheduled"):
        await gen.start_round()
    started = time.perf_counter()
    # Play until everyone is done, or the round's duration (compressed) is over.
    until = time.monotonic() + (plan.get("duration_seconds") or 3600) / speed + 60
    await asyncio.gather(*(_play(gen, c, speed, until) for c in gen.contestants if c.ready.is_set()))
    gen.finish_answers("answers", time.perf_counter() - started)
    gen.result["submitted"] = sum(1 for c in gen.contestants if c.submitted.is_set())
    if plan.get("close", True):
        done = await asyncio.wait_for(gen.organiser.command({"type": "close", "id": "c-close"}), 120)
        gen.result["closed"] = done.get("type") == "done"
