"""The demo edition used by ``make run`` and by demos: realistic but fictitious data."""

from django.contrib.auth import get_user_model
from django.db import transaction

from contest.models import Edition, RoleGrant, Unit

DEMO_PASSWORD = "hoithi2026"  # noqa: S105 - published demo password, demo data only
DEMO_SLUG = "demo"


@transaction.atomic
def seed_demo() -> dict:
    User = get_user_model()
    edition, _ = Edition.objects.get_or_create(
        slug=DEMO_SLUG,
        defaults={"name": "Hội thi Ứng dụng CNTT trong hoạt động công đoàn 2026 (mẫu)"},
    )
    city, _ = Unit.objects.get_or_create(
        edition=edition,
        code="LDLDTP",
        defaults={"name": "Liên đoàn Lao động Thành phố Hà Nội", "level": Unit.Level.CITY},
    )

    def account(username, full_name, role=None, head=False):
        user, created = User.objects.get_or_create(username=username)
        if created:
            names = full_name.split()
            user.first_name, user.last_name = names[-1], " ".join(names[:-1])
            user.set_password(DEMO_PASSWORD)
            user.save()
        if role:
            RoleGrant.objects.get_or_create(
                edition=edition, user=user, role=role, defaults={"is_head_judge": head}
            )
        return user

    account("btc", "Nguyễn Thị Thu Hà", RoleGrant.Role.ORGANISER)
    account("giamkhao1", "Trần Quốc Khánh", RoleGrant.Role.JUDGE, head=True)
    account("giamkhao2", "Lê Minh Phương", RoleGrant.Role.JUDGE)
    return {
        "edition": edition,
        "logins": {"Ban tổ chức": ["btc"], "Giám khảo": ["giamkhao1", "giamkhao2"]},
    }
