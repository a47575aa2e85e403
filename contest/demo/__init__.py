"""The demo edition used by ``make run`` and by demos: realistic but fictitious data.

:func:`seed_demo` is idempotent: every object is looked up by its natural key (edition slug,
unit code, username) and created only when missing, so running it again changes nothing and
never resets a password someone changed.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from contest.models import Cluster, Edition, Person, Registration, RoleGrant, Team, Unit
from contest.registration_import import username_prefix
from contest.services.registration import hash_passwords
from contest.vietnamese import nfc, split_name
from quizzes.demo import seed_demo_bank

from .rounds import seed_demo_round

DEMO_PASSWORD = "hoithi2026"  # noqa: S105 - published demo password, demo data only
DEMO_SLUG = "demo"

Level = Unit.Level

# (code, name, short name, level, parent code, cluster code, expected headcount)
UNITS = [
    ("LDLDTP", "Liên đoàn Lao động Thành phố Hà Nội", "LĐLĐ TP", Level.CITY, None, None, 0),
    ("BADINH", "Liên đoàn Lao động quận Ba Đình", "LĐLĐ Ba Đình", Level.DISTRICT, "LDLDTP", "CUM1", 12),
    ("HOANKIEM", "Liên đoàn Lao động quận Hoàn Kiếm", "LĐLĐ Hoàn Kiếm", Level.DISTRICT, "LDLDTP", "CUM1", 10),
    ("DONGDA", "Liên đoàn Lao động quận Đống Đa", "LĐLĐ Đống Đa", Level.DISTRICT, "LDLDTP", "CUM1", 8),
    ("CAUGIAY", "Liên đoàn Lao động quận Cầu Giấy", "LĐLĐ Cầu Giấy", Level.DISTRICT, "LDLDTP", "CUM1", 8),
    ("CDGD", "Công đoàn ngành Giáo dục Hà Nội", "CĐ ngành Giáo dục", Level.DISTRICT, "LDLDTP", "CUM2", 10),
    ("CDYT", "Công đoàn ngành Y tế Hà Nội", "CĐ ngành Y tế", Level.DISTRICT, "LDLDTP", "CUM2", 10),
    (
        "BD01",
        "Công đoàn cơ quan UBND quận Ba Đình",
        "CĐCS UBND Ba Đình",
        Level.GRASSROOTS,
        "BADINH",
        "CUM1",
        4,
    ),
    (
        "HK01",
        "Công đoàn Trường Tiểu học Trần Quốc Toản",
        "CĐCS TH Trần Quốc Toản",
        Level.GRASSROOTS,
        "HOANKIEM",
        "CUM1",
        3,
    ),
    ("GD01", "Công đoàn Trường THPT Chu Văn An", "CĐCS THPT Chu Văn An", Level.GRASSROOTS, "CDGD", "CUM2", 4),
    ("YT01", "Công đoàn Bệnh viện Đa khoa Xanh Pôn", "CĐCS BV Xanh Pôn", Level.GRASSROOTS, "CDYT", "CUM2", 4),
]
CLUSTERS = [
    ("CUM1", "Cụm thi đua số 1 – các quận nội thành"),
    ("CUM2", "Cụm thi đua số 2 – công đoàn ngành"),
]
# (code, name, unit code)
TEAMS = [
    ("DOI-BADINH", "Đội LĐLĐ quận Ba Đình", "BADINH"),
    ("DOI-CDGD", "Đội Công đoàn ngành Giáo dục", "CDGD"),
    ("DOI-CDYT", "Đội Công đoàn ngành Y tế", "CDYT"),
]
# (full name, gender, date of birth dd/mm/yyyy, unit code, position, team code or "", consent)
CONTESTANTS = [
    ("Nguyễn Thị Thanh Hương", "F", "12/04/1986", "BADINH", "Phó Chủ tịch LĐLĐ quận", "DOI-BADINH", True),
    ("Trần Đức Minh", "M", "03/09/1982", "BADINH", "Trưởng ban Tổ chức", "DOI-BADINH", True),
    ("Lê Thị Ngọc Ánh", "F", "25/12/1990", "BD01", "Chủ tịch Công đoàn cơ sở", "DOI-BADINH", True),
    ("Phạm Quang Huy", "M", "17/06/1988", "BD01", "Ủy viên Ban Chấp hành", "", True),
    ("Vũ Thị Lan Anh", "F", "08/02/1993", "BADINH", "Chuyên viên ban Chính sách", "", False),
    ("Đỗ Mạnh Cường", "M", "30/11/1979", "HOANKIEM", "Chủ tịch LĐLĐ quận", "", True),
    ("Hoàng Thị Thu Trang", "F", "14/03/1991", "HOANKIEM", "Chuyên viên ban Tuyên giáo", "", True),
    ("Bùi Văn Thắng", "M", "21/07/1985", "HK01", "Chủ tịch Công đoàn cơ sở", "", True),
    ("Ngô Thị Hồng Nhung", "F", "02/10/1994", "HK01", "Giáo viên, Ủy viên BCH", "", True),
    ("Đặng Quốc Khánh", "M", "19/05/1987", "DONGDA", "Phó Chủ tịch LĐLĐ quận", "", True),
    ("Phan Thị Mỹ Linh", "F", "27/08/1992", "DONGDA", "Kế toán Công đoàn", "", True),
    ("Trịnh Văn Hải", "M", "05/01/1983", "DONGDA", "Trưởng ban Chính sách", "", False),
    ("Lý Thị Kim Oanh", "F", "11/11/1989", "CAUGIAY", "Chuyên viên ban Nữ công", "", True),
    ("Dương Minh Tuấn", "M", "23/04/1990", "CAUGIAY", "Chánh Văn phòng", "", True),
    ("Hồ Thị Bích Ngọc", "F", "16/09/1995", "CAUGIAY", "Chuyên viên ban Tổ chức", "", True),
    ("Nguyễn Văn Đức", "M", "09/12/1980", "CDGD", "Phó Chủ tịch Công đoàn ngành", "DOI-CDGD", True),
    ("Trần Thị Hải Yến", "F", "28/02/1988", "CDGD", "Trưởng ban Tuyên giáo", "DOI-CDGD", True),
    ("Lê Hoàng Nam", "M", "13/07/1991", "GD01", "Chủ tịch Công đoàn cơ sở", "DOI-CDGD", True),
    ("Nguyễn Thị Ánh Tuyết", "F", "04/06/1986", "GD01", "Giáo viên Tin học", "", True),
    ("Phạm Thị Thu Hà", "F", "20/10/1993", "GD01", "Thư ký Công đoàn", "", False),
    ("Vương Đình Long", "M", "01/03/1984", "CDGD", "Chuyên viên ban Chính sách", "", True),
    ("Đinh Thị Phương Thảo", "F", "18/01/1990", "CDYT", "Phó Chủ tịch Công đoàn ngành", "DOI-CDYT", True),
    ("Mai Xuân Trường", "M", "07/08/1985", "CDYT", "Trưởng ban Tổ chức", "DOI-CDYT", True),
    ("Cao Thị Diệu Linh", "F", "29/05/1992", "YT01", "Điều dưỡng trưởng, Ủy viên BCH", "DOI-CDYT", True),
    ("Tạ Quang Vinh", "M", "15/12/1987", "YT01", "Chủ tịch Công đoàn cơ sở", "", True),
    ("Lương Thị Hạnh", "F", "10/09/1989", "YT01", "Kế toán Công đoàn", "", True),
    ("Kiều Văn Bình", "M", "26/03/1983", "BADINH", "Chuyên viên Văn phòng", "", True),
    ("Nguyễn Thị Ân", "F", "31/07/1994", "HOANKIEM", "Chuyên viên ban Chính sách", "", True),
    ("Trần Văn Ẩn", "M", "22/11/1986", "DONGDA", "Ủy viên Ban Thường vụ", "", True),
    ("Quách Thị Mai", "F", "06/04/1991", "CAUGIAY", "Chuyên viên ban Tuyên giáo", "", True),
]
# (username, full name, role, head judge, coordinated unit code)
STAFF = [
    ("btc", "Nguyễn Thị Thu Hà", RoleGrant.Role.ORGANISER, False, None),
    ("giamkhao1", "Trần Quốc Khánh", RoleGrant.Role.JUDGE, True, None),
    ("giamkhao2", "Lê Minh Phương", RoleGrant.Role.JUDGE, False, None),
    ("phutrach.badinh", "Phạm Thị Hồng Vân", RoleGrant.Role.COORDINATOR, False, "BADINH"),
]


def _units(edition: Edition) -> dict[str, Unit]:
    clusters = {
        code: Cluster.objects.get_or_create(edition=edition, code=code, defaults={"name": name})[0]
        for code, name in CLUSTERS
    }
    units: dict[str, Unit] = {}
    for code, name, short_name, level, parent, cluster, headcount in UNITS:
        units[code], _ = Unit.objects.get_or_create(
            edition=edition,
            code=code,
            defaults={
                "name": name,
                "short_name": short_name,
                "level": level,
                "parent": units.get(parent),
                "cluster": clusters.get(cluster),
                "expected_headcount": headcount,
            },
        )
    return units


def _users(specs: list[tuple[str, str, str]]) -> dict:
    """Get or create users ``(username, full name, email)``; new ones get the demo password."""
    User = get_user_model()
    existing = {user.username: user for user in User.objects.filter(username__in=[s[0] for s in specs])}
    missing = [spec for spec in specs if spec[0] not in existing]
    for (username, full_name, email), password_hash in zip(
        missing, hash_passwords([DEMO_PASSWORD] * len(missing)), strict=True
    ):
        given, family = split_name(full_name)
        existing[username] = User.objects.create(
            username=username, password=password_hash, first_name=given, last_name=family, email=email
        )
    return existing


def _contestants(edition: Edition, units: dict[str, Unit], teams: dict[str, Team], now) -> list[str]:
    numbers: dict[str, int] = {}
    specs = []
    for full_name, _gender, _born, unit_code, *_rest in CONTESTANTS:
        prefix = username_prefix(unit_code)
        numbers[prefix] = numbers.get(prefix, 0) + 1
        username = f"{prefix}{numbers[prefix]:03d}"
        specs.append((username, nfc(full_name), f"{username}@demo.hoithi.vn"))
    users = _users(specs)
    for (username, full_name, email), row in zip(specs, CONTESTANTS, strict=True):
        _name, gender, born, unit_code, position, team_code, consent = row
        user = users[username]
        person, _ = Person.objects.get_or_create(
            user=user,
            defaults={
                "full_name": full_name,
                "gender": gender,
                "date_of_birth": dt.datetime.strptime(born, "%d/%m/%Y").date(),  # noqa: DTZ007 - a date
                "email": email,
                "public_consent_at": now if consent else None,
            },
        )
        Registration.objects.get_or_create(
            edition=edition,
            person=person,
            defaults={
                "unit": units[unit_code],
                "team": teams.get(team_code),
                "code": username,
                "position": position,
            },
        )
    return [spec[0] for spec in specs]


@transaction.atomic
def seed_demo() -> dict:
    """Create (or complete) the demo edition and return the logins to print."""
    now = timezone.now()
    edition, _ = Edition.objects.get_or_create(
        slug=DEMO_SLUG,
        defaults={
            "name": "Hội thi Ứng dụng CNTT trong hoạt động công đoàn 2026 (mẫu)",
            "starts_on": dt.date(2026, 12, 1),
            "ends_on": dt.date(2026, 12, 20),
        },
    )
    units = _units(edition)
    teams = {
        code: Team.objects.get_or_create(
            edition=edition, code=code, defaults={"name": name, "unit": units[unit]}
        )[0]
        for code, name, unit in TEAMS
    }
    staff = _users([(username, full_name, "") for username, full_name, *_ in STAFF])
    for username, _full_name, role, head, unit_code in STAFF:
        RoleGrant.objects.get_or_create(
            edition=edition,
            user=staff[username],
            role=role,
            defaults={"is_head_judge": head, "unit": units.get(unit_code)},
        )
    contestants = _contestants(edition, units, teams, now)

    # --- Question bank and round --------------------------------------------------------
    # The question-bank and rounds owners add their calls here, in this order, e.g. a bank
    # for the edition first, then a round on it ready to start. Keep each one idempotent.
    bank = seed_demo_bank(edition)
    seed_demo_round(edition, bank)

    return {
        "edition": edition,
        "logins": {
            "Ban tổ chức": ["btc"],
            "Giám khảo": ["giamkhao1 (trưởng ban)", "giamkhao2"],
            "Phụ trách đơn vị (LĐLĐ quận Ba Đình)": ["phutrach.badinh"],
            f"Thí sinh ({len(contestants)} người, ví dụ)": contestants[:3],
        },
    }
