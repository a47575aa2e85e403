"""Reads the pages need. Selectors never write."""

from django.db.models import Count, Prefetch, Q

from .models import Edition, Registration, RoleGrant, Team, Unit
from .vietnamese import name_sort_key


def list_user_editions(user) -> list[Edition]:
    """Editions in which the user has any role or a registration, newest first."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(Edition.objects.all())
    return list(
        Edition.objects.filter(Q(role_grants__user=user) | Q(registrations__person__user=user)).distinct()
    )


def get_user_roles(user, edition: Edition) -> dict:
    """What the dashboard shows for one edition: the user's roles there."""
    grants = list(RoleGrant.objects.filter(user=user, edition=edition).select_related("unit"))
    registration = (
        Registration.objects.select_related("unit", "team").filter(edition=edition, person__user=user).first()
    )
    return {
        "edition": edition,
        "organiser": user.is_superuser or any(g.role == RoleGrant.Role.ORGANISER for g in grants),
        "judge": any(g.role == RoleGrant.Role.JUDGE for g in grants),
        "head_judge": any(g.is_head_judge for g in grants),
        "coordinated_units": [g.unit for g in grants if g.role == RoleGrant.Role.COORDINATOR],
        "registration": registration,
    }


def list_units_tree(edition: Edition, unit_ids: set[int]) -> list[tuple[Unit, int]]:
    """``(unit, depth)`` in tree order (parents before children, siblings by code), with
    ``unit.registration_count``; only the given units, so a coordinator's subtree is a tree."""
    units = list(
        Unit.objects.filter(edition=edition, pk__in=unit_ids)
        .select_related("cluster")
        .annotate(registration_count=Count("registrations"))
        .order_by("code")
    )
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in unit_ids else None
        children.setdefault(parent, []).append(unit)
    ordered: list[tuple[Unit, int]] = []

    def walk(parent, depth):
        for unit in children.get(parent, []):
            ordered.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


def list_registrations(edition: Edition, unit_ids: set[int]) -> list[Registration]:
    """Contestants of the given units in Vietnamese name order (given name first)."""
    registrations = Registration.objects.filter(edition=edition, unit_id__in=unit_ids).select_related(
        "person", "person__user", "unit", "team"
    )
    return sorted(registrations, key=lambda registration: name_sort_key(registration.person.full_name))


def list_teams(edition: Edition, unit_ids: set[int]) -> list[Team]:
    """Teams of the given units, each with ``sorted_members`` in Vietnamese name order."""
    teams = list(
        Team.objects.filter(edition=edition, unit_id__in=unit_ids)
        .select_related("unit", "captain__person")
        .prefetch_related(Prefetch("members", queryset=Registration.objects.select_related("person")))
    )
    for team in teams:
        team.sorted_members = sorted(
            team.members.all(), key=lambda member: name_sort_key(member.person.full_name)
        )
    return teams
