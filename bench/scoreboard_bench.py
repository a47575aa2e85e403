"""Scoreboard micro-benchmark: one ranking recomputation for 2,000 contestants, and how many
``board`` messages each viewer gets under a burst of answers.

Run: .venv/bin/python bench/scoreboard_bench.py [CONTESTANTS] [VIEWERS]. Uses the test settings
(in-memory SQLite, migrated here), so it touches no one's data. Prints:

- ``rank``: the pure ranking (contest.ranking) of N entries, best of 7 (target < 50 ms);
- ``tick``: a whole board tick from the database (contest.board_frames: the round's
  attempts and registrations read, ranked, shaped for the individual, team and unit views),
  best of 5;
- ``burst``: VIEWERS sockets on one round's ticker (contest.board_hub) while the attempts'
  scores change and hints arrive every millisecond for 3 seconds, as when every contestant
  answers at once: the messages each viewer got, on average and at most in any one second
  (target at most 2), the least gap between two of them, and how long
  the first graded answer took to reach the viewers.
"""

import asyncio
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

RANK_TARGET_MS = 50
MESSAGES_PER_SECOND_TARGET = 2.0
BURST_SECONDS = 3.0


def build(count: int):
    """A started round with ``count`` contestants in 40 units and 200 teams, all in progress."""
    from django.utils import timezone

    from contest.models import Attempt, Person, Registration, Round, Team
    from tests import factories

    edition = factories.make_edition(slug="bench", name="Bench")
    units = [factories.make_unit(edition=edition, code=f"U{i:02d}", color="#336699") for i in range(40)]
    teams = Team.objects.bulk_create(
        [Team(edition=edition, unit=units[i % 40], code=f"T{i:03d}", name=f"Đội {i}") for i in range(200)]
    )
    people = Person.objects.bulk_create([Person(full_name=f"Nguyễn Văn Thí Sinh {i}") for i in range(count)])
    registrations = Registration.objects.bulk_create(
        [
            Registration(
                edition=edition, person=p, unit=units[i % 40], team=teams[i % 200], code=f"TS{i:05d}"
            )
            for i, p in enumerate(people)
        ]
    )
    now = timezone.now()
    round_ = factories.make_round(edition=edition, mode="live", state="open", started_at=now, opens_at=now)
    rng = random.Random(2026)
    Attempt.objects.bulk_create(
        [
            Attempt(
                round=round_,
                registration=r,
                seed=1,
                paper={"slots": []},
                state="in_progress",
                started_at=now,
                max_score=Decimal(40),
                score=Decimal(rng.randint(0, 160)) / 4,
                answered_count=rng.randint(0, 40),
            )  # fmt: skip
            for r in registrations
        ],
        batch_size=500,
    )
    from contest.models import RoundBoard

    RoundBoard.objects.create(round=round_, visibility="public")
    return Round.objects.get(pk=round_.pk)


def bench_rank(count: int) -> float:
    from bench.ranking_bench import make_entries
    from contest.ranking import rank_entries

    entries = make_entries(count)
    times = []
    for _ in range(7):
        began = time.perf_counter()
        rank_entries(entries, truth=100)
        times.append((time.perf_counter() - began) * 1000)
    return min(times)


def bench_tick(round_) -> float:
    from django.utils import timezone

    from contest.board_frames import VIEWS, Kind, board_frames
    from contest.boards import Audience

    kinds = {Kind(Audience.STAFF, view) for view in VIEWS}
    times = []
    for _ in range(5):
        began = time.perf_counter()
        board_frames(round_.pk, kinds, now=timezone.now())
        times.append((time.perf_counter() - began) * 1000)
    return min(times)


class Viewer:
    def __init__(self, kind):
        self.kind = kind
        self.last_content = None
        self.received: list[float] = []

    async def send_frame(self, text: str) -> None:
        self.received.append(time.perf_counter())


async def burst(round_, viewers: int, ids: list[int]) -> dict:
    """Hints every millisecond while scores change, for BURST_SECONDS."""
    from channels.db import database_sync_to_async

    from contest import board_hub
    from contest.board_frames import Kind
    from contest.boards import Audience
    from contest.models import Attempt

    kinds = [
        Kind(Audience.STAFF, "individual"),
        Kind(Audience.PUBLIC, "individual"),
        Kind(Audience.STAFF, "team"),
    ]
    crowd = [Viewer(kinds[i % len(kinds)]) for i in range(viewers)]
    ticker = board_hub.ticker_for(round_.pk)
    for viewer in crowd:
        ticker.subscribers.add(viewer)
    rng = random.Random(7)

    def answer_batch():
        # What an answer batch does to the board: some attempts' scores change.
        for pk in rng.sample(ids, 20):
            Attempt.objects.filter(pk=pk).update(score=Decimal(rng.randint(0, 160)) / 4)

    ticker.last_run = float("-inf")
    began = time.perf_counter()
    await database_sync_to_async(answer_batch)()
    first_answer_at = time.perf_counter()
    ticker.poke()
    hints = 1
    while time.perf_counter() - began < BURST_SECONDS:
        await asyncio.sleep(0.001)
        ticker.poke()
        hints += 1
        if hints % 50 == 0:
            await database_sync_to_async(answer_batch)()
    while ticker.task is not None and not ticker.task.done():
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - began
    per_viewer = [len(viewer.received) / elapsed for viewer in crowd]
    gaps = [b - a for viewer in crowd for a, b in zip(viewer.received, viewer.received[1:], strict=False)]
    # The most frames any viewer got within any one second (a sliding window from each frame).
    window = max(
        sum(1 for t in viewer.received if start <= t < start + 1.0)
        for viewer in crowd
        for start in viewer.received
    )
    first = [viewer.received[0] - first_answer_at for viewer in crowd if viewer.received]
    for viewer in crowd:
        ticker.subscribers.discard(viewer)
    return {
        "hints": hints,
        "ticks": ticker.ticks,
        "per_viewer_mean": statistics.mean(per_viewer),
        "min_gap_ms": min(gaps) * 1000 if gaps else float("nan"),
        "max_in_one_second": window,
        "first_frame_ms": max(first) * 1000 if first else float("nan"),
        "seconds": elapsed,
    }


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    viewers = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    round_ = build(count)
    rank_ms = bench_rank(count)
    tick_ms = bench_tick(round_)
    from contest.models import Attempt

    ids = list(Attempt.objects.filter(round=round_).values_list("pk", flat=True))
    result = asyncio.run(burst(round_, viewers, ids))
    print(f"rank: {count} entries, full chain, best of 7: {rank_ms:.1f} ms (target < {RANK_TARGET_MS} ms)")
    print(f"tick: {count} contestants from the database, 3 views, best of 5: {tick_ms:.1f} ms")
    print(
        f"burst: {viewers} viewers, {result['hints']} hints in {result['seconds']:.1f} s -> {result['ticks']} "
        f"recomputations; messages per viewer: {result['per_viewer_mean']:.2f}/s on average, at most "
        f"{result['max_in_one_second']} in any one second (target <= {MESSAGES_PER_SECOND_TARGET:.0f}), "
        f"never closer than {result['min_gap_ms']:.0f} ms; "
        f"first graded answer on every board after {result['first_frame_ms']:.0f} ms"
    )
    ok = rank_ms < RANK_TARGET_MS and result["max_in_one_second"] <= MESSAGES_PER_SECOND_TARGET
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
