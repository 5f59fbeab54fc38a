"""Owner names against real processes: a killed holder is proven dead, a live one (or anything unsure) is not."""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from dengar.daemon.lease_owner import OwnerName, mint_owner, parse_owner, process_start, provably_dead, this_kernel

pytestmark = pytest.mark.skipif(not this_kernel(), reason="needs /proc to name processes")


def owner_of(process: subprocess.Popen[bytes]) -> str:
    """The name ``process`` would have minted for itself."""
    return str(OwnerName(socket.gethostname(), process.pid, process_start(process.pid), this_kernel(), "c0ffee"))


@pytest.fixture
def sleeper() -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process
    if process.poll() is None:
        process.kill()
        process.wait()


def test_our_own_name_reads_back_and_is_alive() -> None:
    owner = mint_owner()
    name = parse_owner(owner)
    assert name is not None and name.pid == os.getpid() and name.host == socket.gethostname()
    assert name.started == process_start(os.getpid()) and name.kernel == this_kernel()
    assert not provably_dead(owner)


def test_a_running_process_is_alive_and_a_killed_one_dead(sleeper: subprocess.Popen[bytes]) -> None:
    owner = owner_of(sleeper)
    assert not provably_dead(owner)
    sleeper.send_signal(signal.SIGKILL)
    sleeper.wait()
    assert provably_dead(owner)


def test_a_killed_process_not_yet_reaped_is_dead(sleeper: subprocess.Popen[bytes]) -> None:
    owner = owner_of(sleeper)
    os.kill(sleeper.pid, signal.SIGKILL)
    for _ in range(500):  # the kernel marks it a zombie at once; nobody reaps it until wait()
        if process_stat_state(sleeper.pid) == "Z":
            break
        time.sleep(0.01)
    assert process_stat_state(sleeper.pid) == "Z"
    assert provably_dead(owner)


def process_stat_state(pid: int) -> str:
    with open(f"/proc/{pid}/stat", "rb") as stat:
        text = stat.read().decode()
    return text[text.rfind(")") + 1:].split()[0]


def test_a_pid_now_used_by_another_process_is_dead_but_one_unsure_is_alive() -> None:
    ours = parse_owner(mint_owner())
    assert ours is not None
    # Our pid with another start time: the earlier process that had this pid is gone (a container's pid 1).
    earlier = dataclasses.replace(ours, started=str(int(ours.started) - 1), token="0ld0ne")
    assert provably_dead(str(earlier))
    # Without a start time we cannot tell reuse from the holder: alive, the lease expires instead.
    assert not provably_dead(str(dataclasses.replace(earlier, started="")))


def test_names_that_cannot_be_checked_are_alive(sleeper: subprocess.Popen[bytes]) -> None:
    sleeper.kill()
    sleeper.wait()
    dead = parse_owner(owner_of(sleeper))
    assert dead is not None and provably_dead(str(dead))
    assert not provably_dead(str(dataclasses.replace(dead, host=dead.host + "-other")))  # another machine
    assert not provably_dead(str(dataclasses.replace(dead, kernel="00000000")))  # another boot or pid namespace
    assert not provably_dead(str(dataclasses.replace(dead, kernel="")))
    for text in ("daemon-a", f"{socket.gethostname()}:{sleeper.pid}:a1b2c3", "", "host:-1:1.2.3", ":::"):
        assert not provably_dead(text), text
