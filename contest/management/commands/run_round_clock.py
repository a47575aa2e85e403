"""Run the round clock (production): ``python manage.py run_round_clock``.

Start one on each of two hosts if you like: only the holder of the database lease ticks, the
other waits as a standby and takes over within the lease time if the first one dies. SIGTERM
and SIGINT stop it cleanly after the current tick and release the lease at once.
"""

import signal
import threading

from django.core.management.base import BaseCommand

from contest import clock


class Command(BaseCommand):
    help = "Chạy đồng hồ vòng thi: mở/đóng vòng thi theo lịch, tự nộp bài quá hạn."

    def add_arguments(self, parser):
        parser.add_argument("--tick", type=float, default=clock.TICK_SECONDS, help="Giây giữa hai lần chạy.")

    def handle(self, *args, **options):
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        holder = clock.new_holder_id()
        self.stdout.write(f"Đồng hồ vòng thi {holder} đang chạy (dự phòng nếu đã có đồng hồ khác).")
        clock.run(stop, holder=holder, tick_seconds=options["tick"])
        self.stdout.write("Đồng hồ vòng thi đã dừng.")
