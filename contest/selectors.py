"""Reads the pages need. Selectors never write."""

from django.db.models import Q

from .models import Edition, Registration, RoleGrant


def list_user_editions(user) -> list[Edition]:
    """Editions in which the user has any role or a registration, newest first."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(Edition.objects.all())
    return list(
        Edition.objects.filter(
            Q(role_grants__user=user) | Q(registrations__person__user=user)
        ).distinct()
    )


def get_user_roles(user, edition: Edition) -> dict:
    """What the dashboard shows for one edition: the user's roles there."""
    grants = list(RoleGrant.objects.filter(user=user, edition=edition).select_related("unit"))
    registration = (
        Registration.objects.select_related("unit", "team")
        .filter(edition=edition, person__user=user)
        .first()
    )
    return {
        "edition": edition,
        "organiser": user.is_superuser or any(g.role == RoleGrant.Role.ORGANISER for g in grants),
        "judge": any(g.role == RoleGrant.Role.JUDGE for g in grants),
        "head_judge": any(g.is_head_judge for g in grants),
        "coordinated_units": [g.unit for g in grants if g.role == RoleGrant.Role.COORDINATOR],
        "registration": registration,
    }
