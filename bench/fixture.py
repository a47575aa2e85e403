"""The benchmark's data, written in the configured database (run with the servers' environment):

    python -m bench.fixture create --contestants N [--questions 30] [--mode exam|live]
    python -m bench.fixture verify --edition SLUG --acked FILE
    python -m bench.fixture remove --edition SLUG
    python -m bench.fixture sessions --edition SLUG [--round SLUG] [--contestants N]
    python -m bench.fixture drop-sessions --prefix PREFIX

Each prints one JSON line. ``create`` makes an isolated edition (slug ``bench-<hex>``) with N
contestants sharing one precomputed password hash, an organiser, a 30-question paper and a
scheduled round whose papers are built ahead, and logs everyone in by writing sessions straight
into the session store (as a browser would hold after the login page, without hashing N
passwords). ``remove`` deletes all of it again; audit rows stay, as they are append-only by
design (they carry ids only). ``sessions`` logs in the contestants of an existing edition (the
demo) for ``simulate_round``.
"""

import argparse
import json
import secrets
import sys
from datetime import timedelta


def _setup() -> None:
    import django

    django.setup()


def _session_keys(prefix: str, users: list) -> list[str]:
    """One session per user, bulk-inserted; the auth hash is computed once per password hash."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    store = SessionStore()
    hashes: dict[str, str] = {}
    expires = timezone.now() + timedelta(hours=12)
    rows, keys = [], []
    for user in users:
        if user.password not in hashes:
            hashes[user.password] = user.get_session_auth_hash()
        key = prefix + secrets.token_hex(12)
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
            HASH_SESSION_KEY: hashes[user.password],
        }
        rows.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
        keys.append(key)
    Session.objects.bulk_create(rows, batch_size=1000)
    return keys


def create(contestants: int, questions: int, mode: str) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from contest.models import Person, Registration, RoleGrant, Round, Unit
    from contest.services import rounds
    from tests import factories

    token = secrets.token_hex(4)
    slug = f"bench-{token}"
    now = timezone.now()
    User = get_user_model()
    password = make_password(secrets.token_urlsafe(12))  # one hash for everyone: nobody logs in by form
    with transaction.atomic():
        edition = factories.make_edition(slug=slug, name=f"Đo tải {token}")
        units = Unit.objects.bulk_create(
            [Unit(edition=edition, code=f"DV{i:02d}", name=f"Công đoàn cơ sở số {i}") for i in range(1, 21)]
        )
        organiser = User.objects.create(username=f"{slug}-btc", password=password)
        factories.grant(user=organiser, edition=edition, role=RoleGrant.Role.ORGANISER)
        users = User.objects.bulk_create(
            [User(username=f"{slug}-ts{i:05d}", password=password) for i in range(contestants)],
            batch_size=1000,
        )
        people = Person.objects.bulk_create(
            [Person(full_name=f"Nguyễn Thị Đo Tải {i}", user=user) for i, user in enumerate(users)],
            batch_size=1000,
        )
        Registration.objects.bulk_create(
            [
                Registration(edition=edition, person=person, unit=units[i % len(units)], code=f"BT{i:05d}")
                for i, person in enumerate(people)
            ],
            batch_size=1000,
        )
        bank = factories.make_bank(edition=edition)
        definition = {
            "options": [
                {"id": letter, "html": text, "fraction": 1.0 if letter == "a" else 0.0, "feedback": ""}
                for letter, text in zip("abcd", ["Ctrl+S", "Ctrl+P", "Ctrl+Z", "Ctrl+X"], strict=True)
            ]
        }
        paper = factories.make_paper(
            edition=edition,
            questions=[factories.make_question(bank=bank, definition=definition) for _ in range(questions)],
            shuffle=mode != "live",  # a live paper keeps its order: question i is slot i for all
        )
        round_ = factories.make_round(
            edition=edition,
            paper=paper,
            slug="do-tai",
            mode=Round.Mode.LIVE if mode == "live" else Round.Mode.EXAM,
            timing=Round.Timing.PERSONAL,
            duration_seconds=2 * 3600,
            # Far enough ahead that the round clock never starts it: the organiser does.
            opens_at=now + timedelta(hours=6),
            closes_at=now + timedelta(hours=10),
        )
        round_ = rounds.schedule_round(round_=round_, actor=organiser, now=now)  # papers built ahead
    prefix = f"bench{token}"
    return {
        "edition": slug,
        "round": round_.pk,
        "organiser": _session_keys(prefix, [organiser])[0],
        "contestants": _session_keys(prefix, users),
    }


def verify(edition: str, acked_path: str) -> dict:
    """Every acknowledged answer (attempt, client id, slot, revision) must be in the database."""
    from contest.models import AnswerRevision

    with open(acked_path) as handle:
        acked = {tuple(row) for row in json.load(handle)}
    stored = set(
        AnswerRevision.objects.filter(attempt__round__edition__slug=edition).values_list(
            "attempt_id", "client_message_id", "slot", "revision"
        )
    )
    return {"checked": len(acked), "lost": len(acked - stored), "stored": len(stored)}


def remove(edition: str) -> dict:
    """Delete the benchmark edition and everything in it (audit rows stay: append-only)."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session
    from django.db import transaction

    from contest.models import Attempt, AttemptEvent, Edition, Person, Registration, Round, Unit
    from quizzes.models import Bank, Paper, Question

    found = Edition.objects.filter(slug=edition).first()
    if found is None:
        return {"removed": False}
    users = get_user_model().objects.filter(username__startswith=f"{edition}-")
    with transaction.atomic():
        AttemptEvent.objects.filter(round__edition=found).delete()
        Attempt.objects.filter(round__edition=found).delete()
        Round.objects.filter(edition=found).delete()
        Paper.objects.filter(edition=found).delete()
        Question.objects.filter(bank__edition=found).update(current_version=None)
        Question.objects.filter(bank__edition=found).delete()
        Bank.objects.filter(edition=found).delete()
        Registration.objects.filter(edition=found).delete()
        Person.objects.filter(user__in=users).delete()
        Session.objects.filter(session_key__startswith="bench" + edition.removeprefix("bench-")).delete()
        users.delete()
        Unit.objects.filter(edition=found).delete()
        found.delete()
    return {"removed": True}


def sessions(edition: str, round_slug: str, contestants: int) -> dict:
    """Log in up to N contestants of an existing round and one of its organisers."""
    from contest.models import Registration, RoleGrant, Round
    from contest.snapshots import eligible_registrations

    rounds = Round.objects.filter(edition__slug=edition, mode=Round.Mode.EXAM, paper__isnull=False)
    if round_slug:
        round_ = rounds.filter(slug=round_slug).first()
    else:  # the first round ready to start
        round_ = rounds.filter(state__in=[Round.State.DRAFT, Round.State.SCHEDULED]).order_by("pk").first()
    if round_ is None:
        raise SystemExit(f"no exam round to play in edition {edition!r} (round: {round_slug or 'any ready'})")
    grant = RoleGrant.objects.filter(edition=round_.edition, role=RoleGrant.Role.ORGANISER).first()
    if grant is None:
        raise SystemExit(f"edition {edition!r} has no organiser to start the round")
    registrations = list(
        eligible_registrations(round_)
        .filter(person__user__isnull=False)
        .select_related("person__user")
        .order_by("pk")[:contestants]
    )
    prefix = f"benchsim{secrets.token_hex(3)}"
    return {
        "edition": edition,
        "round": round_.pk,
        "round_slug": round_.slug,
        "round_state": round_.state,
        "duration_seconds": round_.duration_seconds,
        "prefix": prefix,
        "organiser": _session_keys(prefix, [grant.user])[0],
        "contestants": _session_keys(prefix, [r.person.user for r in registrations]),
        "codes": [r.code for r in registrations],
        "registrations": Registration.objects.filter(pk__in=[r.pk for r in registrations]).count(),
    }


def drop_sessions(prefix: str) -> dict:
    from django.contrib.sessions.models import Session

    deleted, _ = Session.objects.filter(session_key__startswith=prefix).delete()
    return {"deleted": deleted}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fixture")
    commands = parser.add_subparsers(dest="command", required=True)
    made = commands.add_parser("create")
    made.add_argument("--contestants", type=int, required=True)
    made.add_argument("--questions", type=int, default=30)
    made.add_argument("--mode", choices=["exam", "live"], default="exam")
    checked = commands.add_parser("verify")
    checked.add_argument("--edition", required=True)
    checked.add_argument("--acked", required=True)
    commands.add_parser("remove").add_argument("--edition", required=True)
    logged = commands.add_parser("sessions")
    logged.add_argument("--edition", required=True)
    logged.add_argument("--round", default="")
    logged.add_argument("--contestants", type=int, default=10_000)
    commands.add_parser("drop-sessions").add_argument("--prefix", required=True)
    args = parser.parse_args(argv)
    _setup()
    if args.command == "create":
        result = create(args.contestants, args.questions, args.mode)
    elif args.command == "verify":
        result = verify(args.edition, args.acked)
    elif args.command == "remove":
        result = remove(args.edition)
    elif args.command == "sessions":
        result = sessions(args.edition, args.round, args.contestants)
    else:
        result = drop_sessions(args.prefix)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
