"""Starting, measuring and stopping the processes of a benchmark run.

Every process is started in its own session (process group) and recorded in a
:class:`Processes` list, whose :meth:`Processes.stop_all` ends them all (SIGTERM, then SIGKILL)
from a ``finally`` block, so a failure or Ctrl-C never leaves a Daphne, a clock, a reference
server or a load generator behind. Memory and CPU are read from ``/proc`` (Linux), which needs
no extra dependency.
"""

import contextlib
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DAPHNE = str(Path(sys.executable).parent / "daphne")
SERVER_PORTS = range(8800, 8900)
REFERENCE_PORTS = range(8900, 9000)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def raise_open_files() -> int:
    """Lift the soft open-file limit to the hard one: thousands of sockets need it. Children
    inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else 1 << 16
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return target


def free_ports(count: int, ports: range) -> list[int]:
    """``count`` ports of ``ports`` that nothing listens on now (loopback)."""
    found = []
    for port in ports:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        found.append(port)
        if len(found) == count:
            return found
    raise RuntimeError(f"not enough free ports in {ports.start}-{ports.stop - 1}")


def wait_listening(port: int, process: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited:\n{tail(log)}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server on port {port} did not listen within {timeout:.0f} s:\n{tail(log)}")


def tail(path: Path, lines: int = 40) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


@dataclass
class Sample:
    """One process's resident memory and CPU time at one instant."""

    rss: int
    cpu: float
    at: float


def sample(pid: int) -> Sample | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        with open(f"/proc/{pid}/statm") as statm:
            rss_pages = int(statm.read().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    # Fields after the command name: state is [0], utime [11], stime [12] (man 5 proc).
    cpu = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return Sample(rss=rss_pages * PAGE_SIZE, cpu=cpu, at=time.monotonic())


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = values
    busy = user + nice + system + irq + softirq + steal
    return busy / CLOCK_TICKS, (busy + idle + iowait) / CLOCK_TICKS


class Processes:
    """The processes of one run, by role ("daphne", "clock", "reference", "loadgen")."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.items: list[tuple[str, subprocess.Popen, Path]] = []

    def start(self, role: str, argv: list[str], env: dict, **popen) -> subprocess.Popen:
        log = self.log_dir / f"{role}-{len(self.items)}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                argv,
                cwd=ROOT,
                env=env,
                stdout=popen.pop("stdout", out),
                stderr=out,
                start_new_session=True,
                **popen,
            )
        self.items.append((role, process, log))
        return process

    def of(self, role: str) -> list[subprocess.Popen]:
        return [process for name, process, _ in self.items if name == role and process.poll() is None]

    def log_of(self, process: subprocess.Popen) -> Path:
        return next(log for _, p, log in self.items if p is process)

    def sample(self, role: str) -> dict[int, Sample]:
        return {p.pid: s for p in self.of(role) if (s := sample(p.pid)) is not None}

    def stop(self, process: subprocess.Popen, timeout: float = 10.0) -> None:
        if process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop_all(self) -> None:
        for _, process, _ in reversed(self.items):
            self.stop(process)


@contextlib.contextmanager
def interrupts_as_exit():
    """SIGTERM (e.g. from ``make`` or CI) unwinds like Ctrl-C, so ``finally`` blocks clean up."""

    def _raise(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _raise)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def server_env(
    data_dir: Path, *, database_url: str = "", redis_url: str = "", clock_in_process: bool
) -> dict:
    """The environment of the servers and of the fixture commands of one configuration."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DEBUG="0",
        HOITHI_DATA_DIR=str(data_dir),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
        ROUND_CLOCK_IN_PROCESS="1" if clock_in_process else "0",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def run_python(env: dict, *argv: str, timeout: float = 600) -> str:
    """Run ``python argv`` with ``env``; its stdout, or an error with its output."""
    result = subprocess.run(
        [PYTHON, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def run_json(env: dict, *argv: str, timeout: float = 600):
    """Run a fixture command that prints one JSON document as its last line."""
    return json.loads(run_python(env, *argv, timeout=timeout).strip().splitlines()[-1])


def start_daphne(processes: Processes, env: dict, port: int) -> subprocess.Popen:
    """One Daphne: no access log (-v 0), sockets never closed for age during a run."""
    argv = [DAPHNE, "-b", "127.0.0.1", "-p", str(port), "-v", "0", "--websocket_timeout", "-1"]
    process = processes.start("daphne", [*argv, "config.asgi:application"], env)
    wait_listening(port, process, processes.log_of(process))
    return process


def start_clock(processes: Processes, env: dict) -> subprocess.Popen:
    return processes.start("clock", [PYTHON, "manage.py", "run_round_clock"], env)


def start_reference(processes: Processes, port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = processes.start("reference", [PYTHON, "-m", "bench.reference_server", "--port", str(port)], env)
    wait_listening(port, process, processes.log_of(process))
    return process


class PhaseProfilers:
    """py-spy (``pip install py-spy``; not a dependency of the project) sampling every server,
    one profile per phase of the run: each mark of the load generator ends a phase and begins
    the next, so the round start, say, can be read apart from the connect storm before it.
    Written as collapsed stacks, ``daphne-<pid>-<n>-<phase>.txt``, for bench/profile_summary.py;
    the first phase is ``setup``, each later one is named after the mark that begins it."""

    def __init__(self, processes: Processes, directory: Path):
        self.processes, self.directory = processes, directory
        self.running: list[subprocess.Popen] = []
        self.count = 0
        directory.mkdir(parents=True, exist_ok=True)
        self.switch("setup")

    def switch(self, phase: str) -> None:
        self.stop()
        self.count += 1
        py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        for server in self.processes.of("daphne"):
            output = self.directory / f"daphne-{server.pid}-{self.count}-{phase}.txt"
            # --gil: only the thread holding the GIL is sampled, so the profile shows where the
            # CPU goes; without it, threads waiting for the GIL show up wherever they wait.
            argv = [py_spy, "record", "--pid", str(server.pid), "--rate", "200", "--format", "raw", "--gil"]
            self.running.append(
                self.processes.start(
                    "profiler", [*argv, "--nonblocking", "--output", str(output)], dict(os.environ)
                )
            )

    def stop(self) -> None:
        """py-spy writes its profile on SIGINT."""
        for profiler in self.running:
            with contextlib.suppress(ProcessLookupError):
                profiler.send_signal(signal.SIGINT)
        for profiler in self.running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                profiler.wait(timeout=30)
        self.running = []


def ensure_postgres_database(url: str) -> None:
    """Create the benchmark's own database when it does not exist yet."""
    from urllib.parse import urlparse

    import psycopg
    from psycopg import sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
