"""Load the demo edition (idempotent): run it as often as you like.

Creates edition ``demo`` (built by ``contest.demo``): units in three levels, two clusters,
three teams, thirty contestants, an organiser, two judges and a unit coordinator, all with
the shared demo password.
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
