"""Free TCP ports for the real servers that tests start.

Ports come from ``HOITHI_TEST_PORTS`` (``first-last``, default ``8100-8199``), so engineers or
CI passes running suites side by side can keep out of each other's way.
"""

import os
import socket


def free_port() -> int:
    first, _, last = os.environ.get("HOITHI_TEST_PORTS", "8100-8199").partition("-")
    ports = range(int(first), int(last or first) + 1)
    start = (os.getpid() * 7) % len(ports)
    for offset in range(len(ports)):
        port = ports[(start + offset) % len(ports)]
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1} (HOITHI_TEST_PORTS)")
