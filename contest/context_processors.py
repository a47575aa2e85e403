"""Template context shared by every page: the editions the user works in, for the menu."""

from .selectors import list_user_editions


def navigation(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"nav_editions": list_user_editions(request.user)}
