"""Session authentication for websockets that never delays the handshake.

Channels' ``AuthMiddleware`` reads the session and the user from the database *before* the
consumer runs, on the process's single database thread. In a connect storm (hundreds of
phones at the start of a round) that queue grows past Daphne's handshake timeout
(``--websocket_connect_timeout``, 5 s) and Daphne drops the connections it has not accepted.
Here ``scope["user"]`` is resolved on first use instead: our consumers accept the socket
first and only then authorise, in the database thread, so a slow queue delays the first
snapshot but never loses the connection.
"""

from types import SimpleNamespace

from channels.middleware import BaseMiddleware
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.utils.functional import SimpleLazyObject


def _user(session):
    """Sync, database work: call it from a database thread (our consumers' authorise())."""
    from django.contrib.auth import get_user

    return get_user(SimpleNamespace(session=session))


class LazyAuthMiddleware(BaseMiddleware):
    async def __call__(self, scope, receive, send):
        scope = dict(scope)
        if "session" not in scope:
            raise ValueError("LazyAuthMiddleware needs SessionMiddleware above it.")
        session = scope["session"]
        scope.setdefault("user", SimpleLazyObject(lambda: _user(session)))
        return await super().__call__(scope, receive, send)


def LazyAuthMiddlewareStack(inner):  # noqa: N802 - named like Channels' AuthMiddlewareStack
    return CookieMiddleware(SessionMiddleware(LazyAuthMiddleware(inner)))
