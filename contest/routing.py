"""Websocket routes. Consumers are thin: see contest/consumers.py."""

websocket_urlpatterns: list = []
