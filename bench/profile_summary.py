"""Summarise py-spy "raw" (collapsed) profiles as text: where the samples went.

    python bench/profile_summary.py PROFILE.txt [--top 30] [--only SUBSTRING]

Prints the share of samples in which each function appears (inclusive) and the share in
which it is the innermost frame (self), so a profile can be read and quoted in a terminal or
in notes without a browser. ``--only`` keeps the stacks containing SUBSTRING (e.g.
``thread_handler`` for the database thread of ``database_sync_to_async``).
"""

import argparse
import re
from collections import Counter
from pathlib import Path

LINE = re.compile(r"^(.*) (\d+)$")


def read(path: Path, only: str = "") -> tuple[Counter, Counter, int]:
    inclusive, own, total = Counter(), Counter(), 0
    for line in path.read_text(errors="replace").splitlines():
        match = LINE.match(line)
        if not match or (only and only not in match.group(1)):
            continue
        count = int(match.group(2))
        frames = [re.sub(r":\d+\)$", ")", frame) for frame in match.group(1).split(";")]
        total += count
        for frame in set(frames):
            inclusive[frame] += count
        own[frames[-1]] += count
    return inclusive, own, total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("profiles", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    for path in args.profiles:
        inclusive, own, total = read(path, args.only)
        print(f"== {path} ({total} samples{', only ' + args.only if args.only else ''})")
        if not total:
            continue
        print("inclusive:")
        for frame, count in inclusive.most_common(args.top):
            print(f"  {100 * count / total:5.1f}%  {frame}")
        print("self:")
        for frame, count in own.most_common(args.top // 2):
            print(f"  {100 * count / total:5.1f}%  {frame}")


if __name__ == "__main__":
    main()
