"""Websocket helpers for communicator tests: a logged-in socket, waiting for a frame type."""

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


async def open_socket(path, user=None, device="phone-1"):
    headers = [(b"origin", b"http://127.0.0.1")]
    if user is not None:
        key = await database_sync_to_async(_session_cookie)(user)
        headers.append((b"cookie", f"sessionid={key}".encode()))
    socket = WebsocketCommunicator(application, f"{path}?device={device}", headers=headers)
    connected, _ = await socket.connect()
    assert connected
    return socket


async def receive_type(socket, wanted, timeout=2):
    """Frames until one of type ``wanted`` (broadcast hints may come first)."""
    for _ in range(20):
        frame = await socket.receive_json_from(timeout=timeout)
        if frame["type"] == wanted:
            return frame
    raise AssertionError(f"no {wanted} frame")


def play(round_):
    return f"/ws/rounds/{round_.pk}/play/"


async def entered(round_, registration, device="phone-1"):
    socket = await open_socket(play(round_), registration.person.user, device)
    await receive_type(socket, "snapshot")
    await socket.send_json_to({"type": "enter", "id": "e1"})
    snapshot = await receive_type(socket, "snapshot")
    return socket, snapshot
