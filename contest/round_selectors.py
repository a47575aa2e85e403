"""Reads for the round pages (dashboard list, contestant page, receipt). Selectors never write.

The live state of a round travels over the websocket; these reads only decide which rounds a
page lists and whether the page may be opened at all.
"""

from django.db.models import Q

from .models import Attempt, Registration, Round


def eligible_rounds(registration: Registration):
    """Rounds of the registration's edition that this contestant may enter.

    A round with no entry lists is open to every registered contestant; otherwise the
    contestant must be on the list, in a listed unit or a listed team: the same rule as
    ``contest.snapshots.eligible_registrations``, which decides entry, seen from the other side.
    Drafts are organisers' work in progress and never listed.
    """
    open_to_all = Q(entry_units__isnull=True, entry_teams__isnull=True, entry_registrations__isnull=True)
    listed = Q(entry_registrations=registration) | Q(entry_units=registration.unit_id)
    if registration.team_id:
        listed |= Q(entry_teams=registration.team_id)
    return (
        Round.objects.filter(edition_id=registration.edition_id)
        .exclude(state=Round.State.DRAFT)
        .filter(open_to_all | listed)
        .distinct()
        .order_by("opens_at", "id")
    )


def list_contestant_rounds(registration: Registration) -> list[dict]:
    """The dashboard's list: each eligible round with this contestant's latest attempt."""
    rounds = list(eligible_rounds(registration))
    latest = {}
    for attempt in Attempt.objects.filter(registration=registration, round__in=rounds).order_by("number"):
        latest[attempt.round_id] = attempt
    return [{"round": r, "attempt": latest.get(r.pk)} for r in rounds]


def get_own_attempt(user, attempt_id: int) -> Attempt | None:
    """The attempt if it belongs to ``user``; None for anybody else's (the caller answers 404,
    so that attempt ids cannot be probed)."""
    if not user.is_authenticated:
        return None
    return (
        Attempt.objects.select_related(
            "round", "round__edition", "registration__person", "registration__unit"
        )
        .filter(pk=attempt_id, registration__person__user=user)
        .first()
    )
