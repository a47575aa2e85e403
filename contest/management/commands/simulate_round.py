"""Play a whole exam round of an existing edition with simulated contestants (issue 5), so that
demos and export tests have real results: a thin wrapper around bench/simulate.py.

    python manage.py simulate_round --edition demo --speed 20

Without ``--round`` the first round ready to start is played (the organiser starts it); an
open round is joined as it is. ``--speed`` divides the contestants' think times.
"""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Mô phỏng thí sinh làm trọn một vòng thi (dữ liệu thật cho trình diễn và kiểm thử xuất kết quả)."

    def add_arguments(self, parser):
        parser.add_argument("--edition", required=True, help="Mã kỳ hội thi, ví dụ demo.")
        parser.add_argument(
            "--round", default="", help="Mã vòng thi; mặc định: vòng đầu tiên sẵn sàng bắt đầu."
        )
        parser.add_argument("--contestants", type=int, default=10_000, help="Số thí sinh tối đa.")
        parser.add_argument("--speed", type=float, default=1.0, help="Nén thời gian: 10 = nhanh gấp 10 lần.")
        parser.add_argument("--leave-open", action="store_true", help="Không đóng vòng thi khi xong.")

    def handle(self, *args, **options):
        from bench.simulate import run

        if options["speed"] <= 0 or options["contestants"] < 1:
            raise CommandError("--speed and --contestants must be positive.")
        try:
            summary = run(
                edition=options["edition"],
                round_slug=options["round"],
                contestants=options["contestants"],
                speed=options["speed"],
                close=not options["leave_open"],
                log=lambda text: self.stderr.write(text),
            )
        except KeyboardInterrupt:
            raise CommandError("Interrupted; every started process was stopped.") from None
        except (RuntimeError, SystemExit) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Vòng {summary['round']}: {summary['contestants']} thí sinh, {summary['submitted']} đã nộp, "
            f"{summary['answers_acked']} câu trả lời được xác nhận (p99 {summary['ack_p99_ms']} ms), "
            f"mất {summary['lost']}, lỗi {summary['errors'] or 0}, "
            f"{'đã đóng vòng thi' if summary['closed'] else 'vòng thi vẫn mở'}."
        )
        if summary["lost"]:
            raise CommandError(f"{summary['lost']} acknowledged answers are missing from the database.")
