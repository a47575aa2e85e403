"""ASGI entry point: HTTP goes to Django; websockets pass the origin check, then session
authentication, then the URL router (the order Channels' own sample project uses). The user
is resolved lazily (contest.ws_auth), so that a connect storm never delays handshakes."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from contest.clock import with_round_clock  # noqa: E402
from contest.routing import websocket_urlpatterns  # noqa: E402
from contest.ws_auth import LazyAuthMiddlewareStack  # noqa: E402

# with_round_clock: in the embedded default the round clock starts with the first connection.
application = with_round_clock(
    ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            "websocket": AllowedHostsOriginValidator(
                LazyAuthMiddlewareStack(URLRouter(websocket_urlpatterns))
            ),
        }
    )
)
