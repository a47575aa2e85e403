"""The reference: a minimal raw ``websockets`` server doing what the contest server does on
contest day, and nothing else, so that our figures can be read as a ratio to what this machine
and this Python allow.

- On connect it sends a small ``snapshot`` frame (a client starts when it has one).
- ``announce`` {id, text}: one pre-encoded ``announcement`` frame to every socket
  (``websockets.broadcast``), then ``done`` to the sender.
- ``answer`` {id, slot, ...}: an ``ack`` at once (no database: the ack floor).
- ``ping`` {id}: ``pong``.

Run: ``python -m bench.reference_server --port 8900`` (loopback only).
"""

import argparse
import asyncio
import json
import time

from websockets.asyncio.server import broadcast, serve

from bench.servers import raise_open_files

CLIENTS: set = set()


def encode(frame: dict) -> str:
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


async def handler(websocket) -> None:
    CLIENTS.add(websocket)
    try:
        await websocket.send(encode({"type": "snapshot", "protocol": 1, "server_time": time.time() * 1000}))
        async for text in websocket:
            message = json.loads(text)
            kind = message.get("type")
            if kind == "answer":
                reply = {"type": "ack", "ref": message["id"], "slot": message.get("slot"), "revision": 1}
                await websocket.send(encode(reply))
            elif kind == "announce":
                broadcast(CLIENTS, encode({"type": "announcement", "text": message["text"]}))
                await websocket.send(encode({"type": "done", "ref": message["id"], "action": "announce"}))
            elif kind == "ping":
                await websocket.send(
                    encode({"type": "pong", "id": message["id"], "server_time": time.time() * 1000})
                )
    finally:
        CLIENTS.discard(websocket)


async def main(port: int) -> None:
    async with serve(handler, "127.0.0.1", port, ping_interval=None, max_queue=None) as server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    raise_open_files()
    asyncio.run(main(parser.parse_args().port))
