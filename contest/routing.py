"""Websocket routes. Consumers are thin: see contest/consumers.py and docs/protocol.md."""

from django.urls import path

from contest import board_consumers, live_consumers

websocket_urlpatterns = [
    path("ws/rounds/<int:round_id>/play/", live_consumers.LiveContestantConsumer.as_asgi()),
    path("ws/rounds/<int:round_id>/control/", live_consumers.LiveControlConsumer.as_asgi()),
    path("ws/rounds/<int:round_id>/view/", live_consumers.LiveViewerConsumer.as_asgi()),
    path("ws/rounds/<int:round_id>/board/", board_consumers.BoardConsumer.as_asgi()),
    path("ws/boards/<str:token>/", board_consumers.BoardConsumer.as_asgi()),
]
