"""The load harness end to end on the embedded configuration, a few contestants for a few
seconds: behaviour only (the JSON contract, nothing lost), never timing."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.server, pytest.mark.timeout(300)]

ROOT = Path(__file__).resolve().parents[2]
KEYS = {
    "config": None,
    "processes": None,
    "contestants": None,
    "connect": {"ok", "failed", "seconds"},
    "mode": None,
    "round_start": {"p50_ms", "p95_ms", "p99_ms", "max_ms"},
    "broadcast": {"p50_ms", "p99_ms"},
    "answers": {"ack_p50_ms", "ack_p95_ms", "ack_p99_ms", "per_s", "acked", "lost", "errors"},
    "scoreboard": {"p50_ms", "p99_ms", "msgs_per_viewer_per_s"},
    "memory": {"bytes_per_conn"},
    "reference": {"broadcast_p99_ms", "ack_p99_ms"},
    "ratios": {"broadcast_p99", "ack_p99"},
}


def manage(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev", DEBUG="0", HOITHI_DATA_DIR=str(tmp_path / "data")
    )
    result = subprocess.run(
        [sys.executable, "manage.py", *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=280
    )
    assert result.returncode == 0, f"{argv} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.mark.parametrize("mode", ["exam", "live"])
def test_bench_round_writes_the_issue_keys_and_loses_no_acknowledged_answer(tmp_path, mode):
    out = tmp_path / "run.json"
    printed = manage(
        tmp_path,
        *("bench_round", "--contestants", "5", "--duration", "3", "--answer-interval", "1"),
        *("--viewers", "1", "--mode", mode, "--json", str(out)),
    )
    result = json.loads(out.read_text())
    assert set(result) == set(KEYS)
    for key, inner in KEYS.items():
        if inner is not None:
            assert set(result[key]) == inner, key
    assert (result["config"], result["processes"], result["contestants"], result["mode"]) == (
        "embedded",
        1,
        5,
        mode,
    )
    assert result["connect"] == {**result["connect"], "ok": 5, "failed": 0}
    assert result["answers"]["acked"] > 0
    assert result["answers"]["lost"] == 0
    assert result["answers"]["errors"] == 0
    assert result["round_start"]["p99_ms"] is not None
    assert result["reference"]["ack_p99_ms"] is not None
    details = json.loads((tmp_path / "run.details.json").read_text())
    assert details["verified"]["lost"] == 0
    assert "answer ack" in printed.stdout


def test_simulate_round_plays_the_demo_round_to_the_end(tmp_path):
    manage(tmp_path, "migrate", "--noinput", "-v", "0")
    manage(tmp_path, "seed_demo")
    printed = manage(tmp_path, "simulate_round", "--edition", "demo", "--contestants", "6", "--speed", "2000")
    assert "6 thí sinh, 6 đã nộp" in printed.stdout
    assert "mất 0" in printed.stdout
    assert "đã đóng vòng thi" in printed.stdout
