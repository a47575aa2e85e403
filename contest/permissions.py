"""Every permission check in one place.

Views and consumers ask these functions; nothing else decides who may do what. Roles are per
edition: an organiser of 2026 has no rights in 2024 unless granted there too. A site superuser
acts as organiser everywhere (it is how the first edition gets set up). Being a contestant is
having a :class:`~contest.models.Registration`; an organiser or judge of an edition cannot
also compete in it (see :func:`check_can_register`).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Edition, Registration, RoleGrant, Unit

Role = RoleGrant.Role


def _grants(user, edition) -> set[str]:
    if not user.is_authenticated:
        return set()
    cache = user.__dict__.setdefault("_hoithi_roles", {})
    if edition.pk not in cache:
        cache[edition.pk] = set(
            RoleGrant.objects.filter(user=user, edition=edition).values_list("role", flat=True)
        )
    return cache[edition.pk]


def is_organiser(user, edition: Edition) -> bool:
    return user.is_authenticated and (user.is_superuser or Role.ORGANISER in _grants(user, edition))


def is_judge(user, edition: Edition) -> bool:
    return Role.JUDGE in _grants(user, edition)


def is_head_judge(user, edition: Edition) -> bool:
    return (
        user.is_authenticated
        and RoleGrant.objects.filter(user=user, edition=edition, role=Role.JUDGE, is_head_judge=True).exists()
    )


def coordinated_unit_ids(user, edition: Edition) -> set[int]:
    """Units the user coordinates in this edition (their own unit; sub-units included)."""
    if not user.is_authenticated:
        return set()
    roots = set(
        RoleGrant.objects.filter(user=user, edition=edition, role=Role.COORDINATOR).values_list(
            "unit_id", flat=True
        )
    )
    if not roots:
        return set()
    parents = dict(Unit.objects.filter(edition=edition).values_list("id", "parent_id"))
    result = set()
    for unit_id in parents:
        cursor = unit_id
        while cursor is not None:
            if cursor in roots:
                result.add(unit_id)
                break
            cursor = parents.get(cursor)
    return result


def contestant_registration(user, edition: Edition) -> Registration | None:
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.select_related("person", "unit", "team")
        .filter(edition=edition, person__user=user)
        .first()
    )


LIVE_JOINS_SESSION_KEY = "live_joins"


def live_joined_registration(session, round_) -> Registration | None:
    """The contestant this browser joined a live round as, with the round's PIN and their
    contestant code (contest.services.live_join); None for any other round."""
    registration_id = (session.get(LIVE_JOINS_SESSION_KEY) or {}).get(str(round_.pk))
    if registration_id is None:
        return None
    return (
        Registration.objects.select_related("person", "unit", "team")
        .filter(edition_id=round_.edition_id, pk=registration_id)
        .first()
    )


def can_manage_unit(user, edition: Edition, unit: Unit) -> bool:
    """Register people of ``unit`` and see its results: organisers, or its coordinator."""
    return is_organiser(user, edition) or unit.pk in coordinated_unit_ids(user, edition)


def manageable_unit_ids(user, edition: Edition) -> set[int]:
    """Units whose people the user may register and list: all for an organiser, else coordinated."""
    if is_organiser(user, edition):
        return set(Unit.objects.filter(edition=edition).values_list("id", flat=True))
    return coordinated_unit_ids(user, edition)


def can_manage_registrations(user, edition: Edition) -> bool:
    """Open the units, contestants and teams pages and the bulk registration of an edition."""
    return is_organiser(user, edition) or bool(coordinated_unit_ids(user, edition))


def can_view_judging(user, edition: Edition) -> bool:
    return is_organiser(user, edition) or is_judge(user, edition)


def can_read_audit(user, edition: Edition) -> bool:
    return is_organiser(user, edition) or is_head_judge(user, edition)


# --- Judging --------------------------------------------------------------------------------
# Judges mark, adjust (with a reason) and sign off; the head judge also fixes keys, decides
# appeals and publishes; organisers configure and publish but never mark. Being a judge gives
# no control over rounds (that stays is_organiser).


def can_mark(user, edition: Edition) -> bool:
    """Mark answers, adjust scores with a reason, recommend on appeals, sign off."""
    return is_judge(user, edition)


def can_fix_keys(user, edition: Edition) -> bool:
    """Correct, widen or void a key and regrade the round."""
    return is_head_judge(user, edition)


def can_decide_appeals(user, edition: Edition) -> bool:
    return is_head_judge(user, edition)


def can_configure_judging(user, edition: Edition) -> bool:
    """Signers, double-marking threshold, panel method, review settings, rubrics; publishing."""
    return is_organiser(user, edition) or is_head_judge(user, edition)


def sees_other_marks(user, edition: Edition, *, mode: str, has_marked: bool) -> bool:
    """Double marking is blind: a judge sees the other judges' marks of an answer only once
    they have marked it themselves; the head judge and organisers always see them."""
    return mode != "double" or has_marked or is_head_judge(user, edition) or is_organiser(user, edition)


def owns_attempt(user, attempt) -> bool:
    """A contestant's own attempt: the only sheet a contestant may ever read."""
    return user.is_authenticated and attempt.registration.person.user_id == user.pk


def can_view_answer_file(user, upload) -> bool:
    """A contestant's uploaded answer file: the judges and organisers of its edition, and the
    contestant who uploaded it; nobody else, not even other contestants of the round."""
    attempt = upload.attempt
    return can_view_judging(user, attempt.round.edition) or owns_attempt(user, attempt)


def actor_role(user, edition: Edition | None) -> str:
    """The role recorded in audit rows for an action by ``user`` in ``edition``."""
    if edition is None:
        return "superuser" if user.is_superuser else ""
    if is_organiser(user, edition):
        return Role.ORGANISER
    if is_judge(user, edition):
        return Role.JUDGE
    if coordinated_unit_ids(user, edition):
        return Role.COORDINATOR
    return "contestant"


def require(allowed: bool) -> None:
    """Raise 403 unless ``allowed``."""
    if not allowed:
        raise PermissionDenied


def check_can_register(person_user, edition: Edition) -> None:
    """An organiser or judge of an edition cannot compete in it."""
    if person_user is None:
        return
    if RoleGrant.objects.filter(
        user=person_user, edition=edition, role__in=[Role.ORGANISER, Role.JUDGE]
    ).exists():
        raise ValidationError(_("Thành viên ban tổ chức hoặc ban giám khảo không được dự thi trong kỳ này."))


# --- Question banks ---------------------------------------------------------------------


def _has_role_anywhere(user, role: str) -> bool:
    return user.is_authenticated and RoleGrant.objects.filter(user=user, role=role).exists()


def can_manage_bank(user, bank) -> bool:
    """Author, import into and export ``bank``: organisers of its edition. A shared bank
    (no edition) serves every edition, so any edition's organisers may manage it."""
    if bank.edition_id is not None:
        return is_organiser(user, bank.edition)
    return user.is_authenticated and (user.is_superuser or _has_role_anywhere(user, Role.ORGANISER))


def can_view_question_media(user, media) -> bool:
    """See an image used in a question of ``media.bank``: whoever may manage the bank, the
    judges of its edition (of any edition for a shared bank), and contestants as decided by
    :func:`contestant_may_view_question_media`."""
    bank = media.bank
    if can_manage_bank(user, bank):
        return True
    if bank.edition_id is not None and is_judge(user, bank.edition):
        return True
    if bank.edition_id is None and _has_role_anywhere(user, Role.JUDGE):
        return True
    return contestant_may_view_question_media(user, media)


def contestant_may_view_question_media(user, media) -> bool:
    """EXTENSION POINT for the rounds issue. A contestant may see an image only once a round
    whose paper (their attempt's snapshot) uses a question version referring to it
    (``src="media:<sha256>"``) has started. The rounds code provides that selector; until it
    is called from here, contestants see no question images, which is the safe default."""
    return False


# --- Results out ------------------------------------------------------------------------------


def can_export_results(user, edition: Edition) -> bool:
    """Download the results in every format and read the results API: organisers and judges."""
    return can_view_judging(user, edition)


def can_hold_api_token(user) -> bool:
    """Create personal API tokens: organisers and judges of some edition. A token acts as its
    user with the user's per-edition roles, so it is only worth having where results can be read."""
    return user.is_authenticated and (
        user.is_superuser
        or RoleGrant.objects.filter(user=user, role__in=[Role.ORGANISER, Role.JUDGE]).exists()
    )
