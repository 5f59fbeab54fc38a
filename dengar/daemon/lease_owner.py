"""Lease owner names that let a restarted daemon prove its killed predecessor gone.

A daemon killed with SIGKILL cannot give its leases back; without proof that it is dead, a restart
would wait ``lease_seconds`` before collecting again. The owner name therefore says which process
held the lease: ``host:pid:start.kernel.token``. ``start`` is the process's start time (clock
ticks since boot, from /proc), so a pid now used by another process is told apart from the holder;
``kernel`` is a short digest of the boot id and the pid namespace, so a pid is only ever looked up
in the process table it came from (a container with the same host name, a cloned VM or a reboot
cannot pass for it). Whatever cannot be checked counts as alive: the lease then simply expires.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import socket
from dataclasses import dataclass

PROC = "/proc"
STARTTIME_FIELD = 22  # in /proc/<pid>/stat, counting from 1 (proc(5))


@dataclass(frozen=True, slots=True)
class OwnerName:
    host: str
    pid: int
    started: str  # "" where the start time could not be read
    kernel: str  # "" where the boot id or pid namespace could not be read
    token: str

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}:{self.started}.{self.kernel}.{self.token}"


def _stat(pid: int) -> list[str]:
    """Fields 3.. of /proc/<pid>/stat (state first), or [] when there is no such process or no /proc."""
    try:
        with open(f"{PROC}/{pid}/stat", "rb") as stat:
            text = stat.read().decode("ascii", "replace")
    except OSError:
        return []
    # The command name (field 2) may hold spaces and parentheses: count fields after its last ")".
    return text[text.rfind(")") + 1:].split()


def process_start(pid: int) -> str:
    """The start time of ``pid`` in clock ticks since boot, or "" when it cannot be read."""
    fields = _stat(pid)
    index = STARTTIME_FIELD - 3
    return fields[index] if len(fields) > index and fields[index].isdigit() else ""


def this_kernel() -> str:
    """A digest of the boot id and our pid namespace: pids are comparable only where it is the same."""
    try:
        with open(f"{PROC}/sys/kernel/random/boot_id", encoding="ascii") as boot:
            boot_id = boot.read().strip()
        namespace = os.readlink(f"{PROC}/self/ns/pid")
    except OSError:
        return ""
    return hashlib.sha256(f"{boot_id}/{namespace}".encode()).hexdigest()[:8]


def mint_owner() -> str:
    """This process's name in leases: readable in `dengar sources`, unique across restarts."""
    pid = os.getpid()
    return str(OwnerName(socket.gethostname(), pid, process_start(pid), this_kernel(), secrets.token_hex(3)))


def parse_owner(text: str) -> OwnerName | None:
    """The parts of a name made by :func:`mint_owner`; None for anything else (an ``instance`` name, an old format)."""
    parts = text.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    details = parts[2].split(".")
    if len(details) != 3:
        return None
    started, kernel, token = details
    return OwnerName(parts[0], int(parts[1]), started, kernel, token)


def provably_dead(owner: str) -> bool:
    """True only when ``owner`` names a process of this very kernel and pid namespace that no longer runs.

    Dead means: no process has that pid (``os.kill(pid, 0)`` → ProcessLookupError), it is a zombie,
    or the process with that pid started at another time than the holder did. Anything unsure is False.
    """
    name = parse_owner(owner)
    if name is None or name.host != socket.gethostname() or name.pid <= 0:
        return False
    if not name.kernel or name.kernel != this_kernel():
        return False
    try:
        os.kill(name.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # a process of another user has this pid: it exists
    except OSError:
        return False
    fields = _stat(name.pid)
    if fields[:1] == ["Z"]:
        return True  # killed, not yet reaped by its parent: it holds nothing any more
    now_started = process_start(name.pid)
    return bool(name.started) and bool(now_started) and now_started != name.started


__all__ = ["OwnerName", "mint_owner", "parse_owner", "process_start", "provably_dead", "this_kernel"]
