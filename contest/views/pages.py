"""Home, dashboard and the edition overview: thin views over selectors."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from .. import permissions
from ..judging_selectors import published_rounds_for
from ..models import Edition
from ..round_selectors import list_contestant_rounds
from ..selectors import get_user_roles, list_user_editions


def home(request):
    return render(request, "home.html")


@login_required
def dashboard(request):
    editions = list_user_editions(request.user)
    roles = [get_user_roles(request.user, edition) for edition in editions]
    for item in roles:
        item["rounds"] = list_contestant_rounds(item["registration"]) if item["registration"] else []
        item["results"] = published_rounds_for(item["registration"]) if item["registration"] else []
    return render(request, "dashboard.html", {"edition_roles": roles})


@login_required
def edition_overview(request, slug):
    """The organisers' page of one edition."""
    edition = get_object_or_404(Edition, slug=slug)
    permissions.require(permissions.is_organiser(request.user, edition))
    return render(
        request,
        "contest/edition_overview.html",
        {
            "edition": edition,
            "unit_count": edition.units.count(),
            "registration_count": edition.registrations.count(),
            "team_count": edition.teams.count(),
        },
    )
