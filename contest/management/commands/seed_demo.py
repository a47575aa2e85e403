"""Load the demo edition (idempotent): run it as often as you like.

Creates edition ``demo`` with a small unit tree, an organiser and two judges. The full demo
(units in three levels, teams, contestants, a question bank, a round ready to start) is built
by ``contest.demo``.
"""

from django.core.management.base import BaseCommand

from contest.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Tạo dữ liệu mẫu (kỳ hội thi 'demo'); chạy lại nhiều lần không tạo trùng."

    def handle(self, *args, **options):
        summary = seed_demo()
        self.stdout.write(self.style.SUCCESS("Dữ liệu mẫu đã sẵn sàng (kỳ hội thi 'demo')."))
        self.stdout.write(f"Mật khẩu chung của các tài khoản mẫu: {DEMO_PASSWORD}")
        for role, usernames in summary["logins"].items():
            self.stdout.write(f"  {role}: {', '.join(usernames)}")
