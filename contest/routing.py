"""Websocket routes. Consumers are thin: see contest/consumers.py and docs/protocol.md."""

from django.urls import path

from contest import board_consumers, consumers

websocket_urlpatterns = [
    path("ws/rounds/<int:round_id>/play/", consumers.ContestantConsumer.as_asgi()),
    path("ws/rounds/<int:round_id>/control/", consumers.ControlConsumer.as_asgi()),
    path("ws/rounds/<int:round_id>/view/", consumers.ViewerConsumer.as_asgi()),
    path("ws/rounds/<int:round_id>/board/", board_consumers.BoardConsumer.as_asgi()),
    path("ws/boards/<str:token>/", board_consumers.BoardConsumer.as_asgi()),
]
