"""Load benchmark of one contest round against real servers (issue 5): a thin wrapper around
bench/round_bench.py, which starts the servers, drives the load generator and stops them all.

    python manage.py bench_round --contestants 500 --duration 30 --config embedded --json out.json

The JSON has exactly the keys of issue 5; the details (CPU per process, the last-seconds rush,
error kinds) go to ``<PATH without .json>.details.json`` beside it. docs/performance.md explains
the figures.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


def details_path(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(".json") + ".details.json")


class Command(BaseCommand):
    help = "Đo tải một vòng thi trên máy chủ thật (Daphne), so với máy chủ websocket tối giản."

    def add_arguments(self, parser):
        parser.add_argument("--contestants", type=int, required=True)
        parser.add_argument("--duration", type=float, required=True, help="Giây trả lời liên tục.")
        parser.add_argument("--mode", choices=["exam", "live"], default="exam")
        parser.add_argument("--config", choices=["embedded", "redis"], default="embedded")
        parser.add_argument("--processes", type=int, default=2, help="Số tiến trình Daphne (redis).")
        parser.add_argument("--answer-interval", type=float, default=10.0, help="Giây giữa hai câu trả lời.")
        parser.add_argument("--viewers", type=int, default=2, help="Số màn hình chiếu (/view/).")
        parser.add_argument(
            "--no-rush", action="store_true", help="Bỏ pha mọi thí sinh trả lời trong 1 giây."
        )
        parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/hoithi_bench")
        parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
        parser.add_argument("--json", type=Path, help="Ghi kết quả JSON vào tệp này.")
        parser.add_argument("--keep", action="store_true", help="Giữ thư mục tạm (nhật ký máy chủ).")
        parser.add_argument("--profile", type=Path, help="Ghi hồ sơ py-spy của từng Daphne vào thư mục này.")

    def handle(self, *args, **options):
        from bench.round_bench import Options, run, table

        if options["contestants"] < 1 or options["duration"] <= 0 or options["processes"] < 1:
            raise CommandError("--contestants, --duration and --processes must be positive.")
        try:
            result, detail = run(
                Options(
                    contestants=options["contestants"],
                    duration=options["duration"],
                    mode=options["mode"],
                    config=options["config"],
                    processes=options["processes"],
                    answer_interval=options["answer_interval"],
                    viewers=options["viewers"],
                    rush=not options["no_rush"],
                    database_url=options["database_url"],
                    redis_url=options["redis_url"],
                    keep=options["keep"],
                    profile=options["profile"],
                    log=lambda text: self.stderr.write(text),
                )
            )
        except KeyboardInterrupt:
            raise CommandError("Interrupted; every started process was stopped.") from None
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        if detail.get("reference"):
            self.stdout.write(table(result, detail))
        if options["json"]:
            options["json"].write_text(json.dumps(result, ensure_ascii=False, indent=1))
            details_path(options["json"]).write_text(json.dumps(detail, ensure_ascii=False, indent=1))
