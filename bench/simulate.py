"""``simulate_round``: play a whole round of an existing edition (e.g. the demo) with the load
generator, so that demos and export tests have real results.

Runs in the management command's own process and database (whatever DATABASE_URL, REDIS_URL
and HOITHI_DATA_DIR say): it logs the round's contestants and one organiser in by writing
sessions, starts one Daphne of its own on that configuration (plus ``run_round_clock`` when the
clock does not run in-process; a clock already running elsewhere keeps the lease and this one
stands by), lets bench/simulate_clients.py play, checks every acknowledged answer in the
database, and deletes the sessions it made.
"""

import os
import shutil
import tempfile
from pathlib import Path

from bench import fixture, servers
from bench.round_bench import drive


def answer_keys(round_id: int) -> dict[str, dict]:
    """stem HTML -> a fully correct response, for every question of the round's paper."""
    from contest.models import Round
    from quizzes.models import PaperItem

    round_ = Round.objects.get(pk=round_id)
    keys = {}
    items = PaperItem.objects.filter(paper=round_.paper).select_related("question__current_version")
    for item in items:
        version = item.question.current_version
        if version is not None and (key := correct_response(version.qtype, version.definition)) is not None:
            keys[version.stem_html] = key
    return keys


def correct_response(qtype: str, definition: dict) -> dict | None:
    if qtype == "single":
        best = max(definition.get("options", []), key=lambda option: option.get("fraction", 0), default=None)
        return {"choice": best["id"]} if best else None
    if qtype == "multiple":
        return {"choices": [o["id"] for o in definition.get("options", []) if o.get("fraction", 0) > 0]}
    if qtype == "truefalse":
        return {"value": bool(definition.get("correct"))}
    if qtype == "short":
        right = [
            a["text"]
            for a in definition.get("answers", [])
            if a.get("fraction") == 1.0 and "*" not in a["text"]
        ]
        return {"text": right[0]} if right else None
    if qtype == "numeric":
        right = [a["value"] for a in definition.get("answers", []) if a.get("value") is not None]
        return {"value": str(right[0])} if right else None
    if qtype == "ordering":
        return {"order": [item["id"] for item in definition.get("items", [])]}
    if qtype == "matching":
        return {"pairs": {pair["id"]: pair["answer"] for pair in definition.get("pairs", [])}}
    return None


def verify(round_id: int, acked_path: Path) -> dict:
    import json

    from contest.models import AnswerRevision

    acked = {tuple(row) for row in json.loads(acked_path.read_text())}
    stored = set(
        AnswerRevision.objects.filter(attempt__round_id=round_id).values_list(
            "attempt_id", "client_message_id", "slot", "revision"
        )
    )
    return {"acked": len(acked), "lost": len(acked - stored)}


def run(*, edition: str, round_slug: str, contestants: int, speed: float, close: bool, log=print) -> dict:
    logged_in = fixture.sessions(edition, round_slug, contestants)
    if not logged_in["contestants"]:
        fixture.drop_sessions(logged_in["prefix"])
        raise RuntimeError(f"round {logged_in['round_slug']} has no contestant with a login")
    servers.raise_open_files()
    work = Path(tempfile.mkdtemp(prefix="hoithi-simulate-"))
    processes = servers.Processes(work)
    env = {**os.environ, "PYTHONPATH": str(servers.ROOT)}
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    try:
        with servers.interrupts_as_exit():
            port = servers.free_ports(1, servers.SERVER_PORTS)[0]
            servers.start_daphne(processes, env, port)
            from django.conf import settings

            if not settings.HOITHI.get("ROUND_CLOCK_IN_PROCESS"):
                servers.start_clock(processes, env)
            log(
                f"Vòng {logged_in['round_slug']}: {len(logged_in['contestants'])} thí sinh, "
                f"tốc độ ×{speed}, máy chủ cổng {port}…"
            )
            plan = {
                "target": "hoithi",
                "scenario": "simulate",
                "ports": [port],
                "round": logged_in["round"],
                "round_state": logged_in["round_state"],
                "organiser": logged_in["organiser"],
                "contestants": logged_in["contestants"],
                "duration_seconds": logged_in["duration_seconds"],
                "speed": speed,
                "close": close,
                "enter_when_open": True,
                "viewers": 0,
                "keys": answer_keys(logged_in["round"]),
                "seed": 7,
            }
            timeout = (logged_in["duration_seconds"] or 3600) / speed + 600
            played = drive(processes, work, plan, "daphne", timeout)
        checked = verify(logged_in["round"], played.acked_path)
    finally:
        processes.stop_all()
        fixture.drop_sessions(logged_in["prefix"])
        shutil.rmtree(work, ignore_errors=True)
    answers = played.result.get("answers", {})
    return {
        "round": logged_in["round_slug"],
        "contestants": len(logged_in["contestants"]),
        "submitted": played.result.get("submitted"),
        "closed": played.result.get("closed", False),
        "answers_acked": answers.get("acked"),
        "ack_p99_ms": answers.get("ack_p99_ms"),
        "errors": played.result.get("errors"),
        "lost": checked["lost"],
    }
