"""``make bench``: the standard set of issue 5, in under 10 minutes on the 2-core machine.

1. ``bench_round`` embedded, 500 contestants (one Daphne, SQLite, in-process clock);
2. ``bench_round`` redis, 2 Daphne processes, 2,000 contestants (PostgreSQL database
   ``hoithi_bench``, Redis db 12; both must be running);
3. ``bench_round --mode live`` embedded, 500 phones, each question answered by all within
   2 seconds (issue 9);
4. the micro benchmarks (import, ranking, scoreboard, xlsx and results exports, registration).

Writes ``bench/results/latest.json``: a list with one object per run (round runs with exactly
the keys of issue 5; micro benchmarks as ``{"micro", "command", "ok", "seconds", "output"}``),
and ``bench/results/latest.details.json`` with the details of the round runs. See
docs/performance.md for what the figures mean and what bounds them.

    .venv/bin/python bench/run_standard.py [--duration 30] [--only rounds|micro] [--out DIR]
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

ROUNDS = [
    ("embedded", ["--config", "embedded", "--contestants", "500"]),
    ("redis", ["--config", "redis", "--processes", "2", "--contestants", "2000"]),
    ("live", ["--mode", "live", "--config", "embedded", "--contestants", "500", "--answer-interval", "2"]),
]
MICRO = [
    ("import: 2,000-question GIFT bank", ["bench/import_bench.py", "2000"]),
    ("ranking: 10,000 contestants", ["bench/ranking_bench.py", "10000"]),
    ("scoreboard: 2,000 contestants", ["bench/scoreboard_bench.py"]),
    ("xlsx writer: 2,000 × 40", ["bench/xlsx_export_bench.py", "2000", "40"]),
    ("results export from the database: 2,000 × 40", ["bench/results_export_bench.py"]),
    ("registration: 300 rows with Argon2id", ["bench/registration_bench.py", "300"]),
]


def reachable(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def clean_env() -> dict:
    """The micro benchmarks make their own scratch databases: never hand them a real one."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["PYTHONPATH"] = str(ROOT)
    return env


def round_run(name: str, argv: list[str], duration: float, work: Path) -> tuple[dict | None, dict]:
    out = work / f"{name}.json"
    env = {
        **clean_env(),
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "HOITHI_DATA_DIR": str(work / "cli"),
    }
    command = [PYTHON, "manage.py", "bench_round", *argv, "--duration", str(duration), "--json", str(out)]
    print(f"\n$ {' '.join(command[1:])}", flush=True)
    began = time.monotonic()
    finished = subprocess.run(command, cwd=ROOT, env=env, check=False, timeout=900)
    if finished.returncode != 0 or not out.exists():
        return None, {
            "run": name,
            "failed": finished.returncode,
            "seconds": round(time.monotonic() - began, 1),
        }
    detail = json.loads(out.with_name(f"{name}.details.json").read_text())
    detail["run_seconds"] = round(time.monotonic() - began, 1)
    return json.loads(out.read_text()), detail


def micro_run(name: str, argv: list[str]) -> dict:
    print(f"\n$ python {' '.join(argv)}", flush=True)
    began = time.monotonic()
    finished = subprocess.run(
        [PYTHON, *argv], cwd=ROOT, env=clean_env(), capture_output=True, text=True, check=False, timeout=600
    )
    output = (finished.stdout + finished.stderr).strip().splitlines()
    print("\n".join(output[-12:]), flush=True)
    return {
        "micro": name,
        "command": "python " + " ".join(argv),
        "ok": finished.returncode == 0,
        "seconds": round(time.monotonic() - began, 1),
        "output": output[-20:],
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--duration", type=float, default=30.0, help="seconds of steady answering per round run"
    )
    parser.add_argument("--only", choices=["rounds", "micro"])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    began = time.monotonic()
    runs, details = [], []
    with tempfile.TemporaryDirectory(prefix="hoithi-bench-std-") as work:
        if args.only != "micro":
            for name, argv in ROUNDS:
                if name == "redis" and not (reachable(5432) and reachable(6379)):
                    print(
                        "\nredis run skipped: PostgreSQL (5432) and Redis (6379) must be running", flush=True
                    )
                    details.append({"run": name, "skipped": "PostgreSQL or Redis not reachable"})
                    continue
                result, detail = round_run(name, argv, args.duration, Path(work))
                if result is not None:
                    runs.append(result)
                details.append(detail)
    if args.only != "rounds":
        runs += [micro_run(name, argv) for name, argv in MICRO]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(runs, ensure_ascii=False, indent=1) + "\n")
    (args.out / "latest.details.json").write_text(json.dumps(details, ensure_ascii=False, indent=1) + "\n")
    failed = [d for d in details if "failed" in d] + [r for r in runs if r.get("ok") is False]
    print(f"\nmake bench: {len(runs)} runs in {time.monotonic() - began:.0f} s; {args.out / 'latest.json'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
