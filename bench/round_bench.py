"""``bench_round``: one measured contest round against real servers, and the raw reference.

1. The reference: bench/reference_server.py (raw ``websockets``), driven with the same
   connect, broadcast and request/ack pattern.
2. Ours, in the chosen configuration:
   - ``embedded``: one Daphne on an SQLite file in a temporary HOITHI_DATA_DIR, the in-memory
     layer, the round clock inside the process (the one-box default);
   - ``redis``: PostgreSQL (its own database) + Redis (its own db number), P Daphne processes
     on several ports with clients spread over them (as behind nginx), and ``run_round_clock``.
   An isolated edition is created (bench/fixture.py), a separate load-generator process plays
   the round (bench/loadgen.py), every acknowledged answer is checked in the database, and the
   edition is removed again.

The result has exactly the keys of issue 5 (see :func:`figures`); everything else measured
(CPU per process, the last-seconds rush, error kinds, raw memory) goes to a details document
beside it. Every process started is stopped in a ``finally`` block, even on Ctrl-C.
"""

import contextlib
import json
import os
import platform
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench import servers
from bench.servers import Processes, Sample

REFERENCE_MAX_SECONDS = 20.0
LOADGEN_MARGIN_SECONDS = 600.0


@dataclass
class Options:
    contestants: int
    duration: float
    mode: str = "exam"
    config: str = "embedded"
    processes: int = 1
    answer_interval: float = 10.0
    viewers: int = 2
    rush: bool = True
    database_url: str = "postgres://postgres@127.0.0.1:5432/hoithi_bench"
    redis_url: str = "redis://127.0.0.1:6379/12"
    keep: bool = False
    profile: Path | None = None
    log: callable = print


@dataclass
class Drive:
    """What one load-generator run gave: its own result and server samples at its marks."""

    result: dict
    marks: dict[str, dict[int, Sample]] = field(default_factory=dict)
    acked_path: Path | None = None


def live_mode_available() -> bool:
    """Live rounds (issue 9) add host-paced question commands to the control endpoint; the
    load generator plays them with bench/live_clients.py."""
    from contest import protocol

    return any("question" in kind for kind in protocol.CONTROL)


def viewer_endpoint() -> str:
    """The projector's endpoint: the scoreboard's ``board`` socket once it exists (issue 6),
    else the exam viewer (progress only, no board frames: the scoreboard figures stay null)."""
    from contest.routing import websocket_urlpatterns

    return "board" if any("/board/" in str(p.pattern) for p in websocket_urlpatterns) else "view"


def drive(
    processes: Processes, work: Path, plan: dict, server_role: str, timeout: float, on_mark=None
) -> Drive:
    """Run the load generator with ``plan``; sample ``server_role`` processes at each mark
    (and call ``on_mark(name)`` there, before the load generator goes on)."""
    name = plan["target"]
    plan_path, result_path = work / f"plan-{name}.json", work / f"result-{name}.json"
    plan["acked_path"] = str(work / f"acked-{name}.json")
    plan_path.write_text(json.dumps(plan))
    marks = {"start": processes.sample(server_role)}
    machine_before, load_before = servers.machine_cpu(), os.getloadavg()
    env = {**os.environ, "PYTHONPATH": str(servers.ROOT)}
    loadgen = processes.start(
        "loadgen",
        [servers.PYTHON, "-m", "bench.loadgen", str(plan_path), str(result_path)],
        env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    watchdog = threading.Timer(timeout, processes.stop, args=(loadgen, 2.0))
    watchdog.start()
    try:
        for line in loadgen.stdout:
            if line.startswith("MARK "):
                marks[line.split()[1]] = processes.sample(server_role)
                if on_mark is not None:
                    on_mark(line.split()[1])
                loadgen.stdin.write("\n")
                loadgen.stdin.flush()
        loadgen.wait()
    finally:
        watchdog.cancel()
    marks["end"] = processes.sample(server_role)
    if loadgen.returncode != 0 or not result_path.exists():
        raise RuntimeError(
            f"load generator failed ({loadgen.returncode}):\n{servers.tail(processes.log_of(loadgen))}"
        )
    result = json.loads(result_path.read_text())
    result["machine"] = machine_share(machine_before, servers.machine_cpu(), marks, result, load_before)
    return Drive(result, marks, Path(plan["acked_path"]))


def machine_share(before, after, marks, result, load_before) -> dict:
    """How busy the whole machine was during a drive, and how much of that was not ours: the
    machine is shared, and a figure taken while others used the cores means less."""
    busy, total = after[0] - before[0], after[1] - before[1]
    servers_cpu = sum(
        marks["end"][pid].cpu - sample.cpu for pid, sample in marks["start"].items() if pid in marks["end"]
    )
    ours = servers_cpu + (result.get("loadgen") or {}).get("cpu_seconds", 0)
    return {
        "busy_percent": round(100 * busy / total, 1) if total else None,
        "others_percent": round(100 * max(0.0, busy - ours) / total, 1) if total else None,
        "load_average_before": round(load_before[0], 2),
        "load_average_after": round(os.getloadavg()[0], 2),
    }


def base_plan(options: Options, target: str, ports: list[int]) -> dict:
    return {
        "target": target,
        "mode": options.mode,
        "ports": ports,
        "viewers": options.viewers,
        "answer_interval": options.answer_interval,
        "rush": options.rush,
        "broadcasts": 3,
        "seed": 1,
    }


def measure_reference(processes: Processes, work: Path, options: Options) -> Drive:
    port = servers.free_ports(1, servers.REFERENCE_PORTS)[0]
    reference = servers.start_reference(processes, port)
    plan = {
        **base_plan(options, "reference", [port]),
        "contestants": [None] * options.contestants,
        "duration": min(options.duration, REFERENCE_MAX_SECONDS),
    }
    try:
        return drive(processes, work, plan, "reference", options.duration + LOADGEN_MARGIN_SECONDS)
    finally:
        processes.stop(reference)


def server_environment(options: Options, work: Path) -> dict:
    data_dir = work / "data"
    data_dir.mkdir()
    if options.config == "embedded":
        return servers.server_env(data_dir, clock_in_process=True)
    servers.ensure_postgres_database(options.database_url)
    return servers.server_env(
        data_dir, database_url=options.database_url, redis_url=options.redis_url, clock_in_process=False
    )


def measure_ours(processes: Processes, work: Path, options: Options, env: dict, fixture: dict) -> Drive:
    count = 1 if options.config == "embedded" else options.processes
    ports = servers.free_ports(count, servers.SERVER_PORTS)
    for port in ports:
        servers.start_daphne(processes, env, port)
    if options.config == "redis":
        servers.start_clock(processes, env)
    plan = {
        **base_plan(options, "hoithi", ports),
        "round": fixture["round"],
        "viewer_endpoint": viewer_endpoint(),
        "organiser": fixture["organiser"],
        "contestants": fixture["contestants"],
        "duration": options.duration,
    }
    profilers = servers.PhaseProfilers(processes, options.profile) if options.profile else None
    try:
        return drive(
            processes,
            work,
            plan,
            "daphne",
            options.duration + LOADGEN_MARGIN_SECONDS,
            on_mark=profilers.switch if profilers else None,
        )
    finally:
        if profilers:
            profilers.stop()


def run(options: Options) -> tuple[dict, dict]:
    """(figures with the issue's keys, details). Starts and always stops every process."""
    if options.mode == "live" and not live_mode_available():
        note = "live mode is not available until live rounds exist (issue 9)"
        options.log(f"--mode live: {note}.")
        return figures(options, None, None, {}), {"notes": [note]}
    servers.raise_open_files()
    work = Path(tempfile.mkdtemp(prefix="hoithi-bench-"))
    processes = Processes(work)
    env, fixture, timings = None, None, {}
    try:
        with servers.interrupts_as_exit():
            options.log(f"Reference server, {options.contestants} clients…")
            reference = measure_reference(processes, work, options)
            clock = time.monotonic()
            env = server_environment(options, work)
            servers.run_python(env, "manage.py", "migrate", "--noinput", "-v", "0")
            fixture = servers.run_json(
                env,
                "-m",
                "bench.fixture",
                "create",
                "--contestants",
                str(options.contestants),
                "--mode",
                options.mode,
            )
            timings["setup_seconds"] = round(time.monotonic() - clock, 1)
            options.log(
                f"Hội Thi ({options.config}), edition {fixture['edition']}, {options.contestants} contestants…"
            )
            ours = measure_ours(processes, work, options, env, fixture)
            for process in processes.of("daphne") + processes.of("clock"):
                processes.stop(process)
            verified = servers.run_json(
                env,
                "-m",
                "bench.fixture",
                "verify",
                "--edition",
                fixture["edition"],
                "--acked",
                str(ours.acked_path),
            )
    finally:
        processes.stop_all()
        if fixture is not None:
            with contextlib.suppress(Exception):
                servers.run_json(env, "-m", "bench.fixture", "remove", "--edition", fixture["edition"])
        if options.keep:
            options.log(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    result = figures(options, ours, reference, verified)
    return result, details(options, ours, reference, verified, timings)


def _get(data: dict | None, *path):
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _ratio(ours, reference) -> float | None:
    if ours is None or not reference:
        return None
    return round(ours / reference, 2)


def _rss(samples: dict[int, Sample]) -> int:
    return sum(s.rss for s in samples.values())


def bytes_per_conn(run: Drive | None) -> int | None:
    if run is None or not run.marks.get("connected"):
        return None
    connected = _get(run.result, "connect", "ok") or 0
    if not connected:
        return None
    return int((_rss(run.marks["connected"]) - _rss(run.marks["warm"])) / connected)


def figures(options: Options, ours: Drive | None, reference: Drive | None, verified: dict) -> dict:
    """Exactly the keys of issue 5, so that other tools can read them."""
    r = ours.result if ours else {}
    ref = reference.result if reference else {}
    answers = r.get("answers") or {}
    board = r.get("scoreboard") or {}
    ours_broadcast = _get(r, "broadcast", "p99_ms")
    ours_ack = answers.get("ack_p99_ms")
    ref_broadcast = _get(ref, "broadcast", "p99_ms")
    ref_ack = _get(ref, "answers", "ack_p99_ms")
    return {
        "config": options.config,
        "processes": 1 if options.config == "embedded" else options.processes,
        "contestants": options.contestants,
        "connect": {key: _get(r, "connect", key) for key in ("ok", "failed", "seconds")},
        "mode": options.mode,
        "round_start": {key: _get(r, "round_start", key) for key in ("p50_ms", "p95_ms", "p99_ms", "max_ms")},
        "broadcast": {"p50_ms": _get(r, "broadcast", "p50_ms"), "p99_ms": ours_broadcast},
        "answers": {
            "ack_p50_ms": answers.get("ack_p50_ms"),
            "ack_p95_ms": answers.get("ack_p95_ms"),
            "ack_p99_ms": ours_ack,
            "per_s": answers.get("per_s"),
            "acked": answers.get("acked"),
            "lost": verified.get("lost"),
            "errors": answers.get("errors"),
        },
        "scoreboard": {key: board.get(key) for key in ("p50_ms", "p99_ms", "msgs_per_viewer_per_s")},
        "memory": {"bytes_per_conn": bytes_per_conn(ours)},
        "reference": {"broadcast_p99_ms": ref_broadcast, "ack_p99_ms": ref_ack},
        "ratios": {
            "broadcast_p99": _ratio(ours_broadcast, ref_broadcast),
            "ack_p99": _ratio(ours_ack, ref_ack),
        },
    }


def cpu_percent(run: Drive, first: str, last: str) -> dict[str, float]:
    """Per server process: CPU used between two marks, in % of one core."""
    a, b = run.marks.get(first, {}), run.marks.get(last, {})
    usage = {}
    for pid in a.keys() & b.keys():
        wall = b[pid].at - a[pid].at
        usage[str(pid)] = round(100 * (b[pid].cpu - a[pid].cpu) / wall, 1) if wall > 0 else None
    return usage


def code_version() -> dict:
    """The commit measured, and how many files differed from it (a shared work tree)."""

    def git(*argv: str) -> str:
        done = subprocess.run(["git", *argv], cwd=servers.ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    changed = git("status", "--porcelain", "--untracked-files=no").splitlines()
    return {"commit": git("rev-parse", "--short", "HEAD"), "uncommitted_files": len(changed)}


def details(options: Options, ours: Drive, reference: Drive, verified: dict, timings: dict) -> dict:
    notes = []
    if not ours.result.get("scoreboard"):
        notes.append(
            "scoreboard: null, the projector endpoint sent no board frames "
            f"({ours.result.get('viewer_frames', 0)} received; live boards are issue 6's)"
        )
    return {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "code": code_version(),
        "options": {
            "duration": options.duration,
            "answer_interval": options.answer_interval,
            "viewers": options.viewers,
            "rush": options.rush,
        },
        "timings": timings,
        "round_start": ours.result.get("round_start"),
        "broadcast": ours.result.get("broadcast"),
        "answers": ours.result.get("answers"),
        "rush": ours.result.get("rush"),
        "scoreboard": ours.result.get("scoreboard"),
        "phase_seconds": ours.result.get("phase_seconds"),
        "verified": verified,
        "errors": ours.result.get("errors"),
        "unexpected_frames": ours.result.get("unexpected_frames"),
        "memory": {
            "idle_rss": _rss(ours.marks.get("start", {})),
            "connected_rss": _rss(ours.marks.get("connected", {})),
            "end_rss": _rss(ours.marks.get("end", {})),
            "reference_bytes_per_conn": bytes_per_conn(reference),
        },
        "cpu_percent": {
            "daphne_whole_run": cpu_percent(ours, "start", "end"),
            "daphne_answers_phase": cpu_percent(ours, "answers", "answered"),
            "reference_whole_run": cpu_percent(reference, "start", "end"),
        },
        "loadgen": {"ours": ours.result.get("loadgen"), "reference": reference.result.get("loadgen")},
        "machine_during": {"ours": ours.result.get("machine"), "reference": reference.result.get("machine")},
        "reference": reference.result,
        "notes": notes,
    }


def table(result: dict, detail: dict) -> str:
    """The printed summary: our figure, the reference's, the ratio, the issue's target."""
    ref = detail.get("reference") or {}
    rush, ref_rush = detail.get("rush") or {}, ref.get("rush") or {}
    live = result["mode"] == "live"
    rows = [
        (
            "connect: ok / failed / s",
            f"{result['connect']['ok']} / {result['connect']['failed']} / {result['connect']['seconds']}",
            f"{_get(ref, 'connect', 'seconds')} s",
            "",
            "",
        ),
        (
            # Live mode: from the host's open_question to each phone holding the question.
            "question open p50 / p99 / max ms" if live else "round start p50 / p99 / max ms",
            "{p50_ms} / {p99_ms} / {max_ms}".format(**result["round_start"]),
            "",
            "",
            "p99 ≤ 500" if live else "p99 ≤ 1000",
        ),
        (
            "broadcast p50 / p99 ms",
            "{p50_ms} / {p99_ms}".format(**result["broadcast"]),
            f"{_get(ref, 'broadcast', 'p50_ms')} / {result['reference']['broadcast_p99_ms']}",
            result["ratios"]["broadcast_p99"],
            "≤ 2× ref",
        ),
        (
            "answer ack p50 / p95 / p99 ms",
            "{ack_p50_ms} / {ack_p95_ms} / {ack_p99_ms}".format(**result["answers"]),
            f"{_get(ref, 'answers', 'ack_p50_ms')} / {_get(ref, 'answers', 'ack_p95_ms')} / {result['reference']['ack_p99_ms']}",
            result["ratios"]["ack_p99"],
            "p99 ≤ 250",
        ),
        (
            "answers/s, acked, errors, LOST",
            f"{result['answers']['per_s']}, {result['answers']['acked']}, {result['answers']['errors']}, {result['answers']['lost']}",
            f"{_get(ref, 'answers', 'per_s')}",
            "",
            "lost = 0",
        ),
        (
            "rush ack p50 / p99 ms, errors",
            f"{rush.get('ack_p50_ms')} / {rush.get('ack_p99_ms')}, {rush.get('errors')}",
            f"{ref_rush.get('ack_p50_ms')} / {ref_rush.get('ack_p99_ms')}",
            _ratio(rush.get("ack_p99_ms"), ref_rush.get("ack_p99_ms")),
            "p99 ≤ 1000",
        ),
        (
            "scoreboard p50 / p99 ms, msg/viewer/s",
            "{p50_ms} / {p99_ms}, {msgs_per_viewer_per_s}".format(**result["scoreboard"]),
            "",
            "",
            "≤ 1000, ≤ 2/s",
        ),
        (
            "memory bytes / connection",
            result["memory"]["bytes_per_conn"],
            _get(detail, "memory", "reference_bytes_per_conn"),
            "",
            "≤ 65536",
        ),
        (
            "server CPU % (answers phase)",
            ", ".join(f"{v}" for v in _get(detail, "cpu_percent", "daphne_answers_phase").values()),
            ", ".join(f"{v}" for v in _get(detail, "cpu_percent", "reference_whole_run").values()),
            "",
            "",
        ),
        (
            "machine busy % / others' share %",
            "{busy_percent} / {others_percent}".format(**_get(detail, "machine_during", "ours")),
            "{busy_percent} / {others_percent}".format(**_get(detail, "machine_during", "reference")),
            "",
            "",
        ),
        (
            "load generator CPU s / wall s",
            "{cpu_seconds} / {wall_seconds}".format(**_get(detail, "loadgen", "ours")),
            "{cpu_seconds} / {wall_seconds}".format(**_get(detail, "loadgen", "reference")),
            "",
            "",
        ),
    ]
    head = f"{result['config']}, {result['processes']} process(es), {result['contestants']} contestants, mode {result['mode']}"
    lines = [head, f"{'':38} {'Hội Thi':>26} {'reference':>22} {'ratio':>6}  target"]
    lines += [
        f"{name:38} {str(ours):>26} {str(reference):>22} {str(ratio):>6}  {target}"
        for name, ours, reference, ratio, target in rows
    ]
    lines += [f"note: {note}" for note in detail.get("notes", [])]
    return "\n".join(lines)
