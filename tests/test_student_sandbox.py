"""A student's kernels are forked one after the other in the student's own sandbox: each starts as fresh as a
kernel started on its own, none can reach the parent they are forked from, and no sandbox outlives its
student or is started for nothing."""
import json

import pytest
from jupyter_core.utils import run_sync
from traitlets.config import Config

from autograder.isolation.kernel_pool import KernelPool
from autograder.isolation.sandbox import Limits, running_as_root

from conftest import kernel_processes

KEY = (True, Limits())

LEAVE_TRACES = """
import json, os, subprocess, numpy
for path in ("/tmp/trace", "trace", "/dev/shm/trace"):
    open(path, "w").write("left by the first notebook")
os.makedirs("/tmp/locked/inside")
os.chmod("/tmp/locked", 0)
subprocess.Popen(["sleep", "1000"], start_new_session=True)
os.environ["TRACE"] = "1"
json.TRACE = 1
import ctypes
assert ctypes.CDLL(None).shmget(0, 4096, 0o1600) >= 0  # a System V shared memory segment (IPC_PRIVATE, IPC_CREAT)
print(json.dumps({"draw": numpy.random.rand(), "uid": os.getuid()}))
"""

LOOK_FOR_TRACES = """
import json, os, numpy
def command(pid):
    try:
        return open(f"/proc/{pid}/cmdline").read()
    except OSError:
        return ""
sleepers = [pid for pid in os.listdir("/proc") if pid.isdigit() and command(pid).startswith("sleep")]
print(json.dumps({"files": [os.path.exists(p) for p in ("/tmp/trace", "trace", "/dev/shm/trace", "/tmp/locked")],
                  "sleepers": sleepers, "env": "TRACE" in os.environ, "module": hasattr(json, "TRACE"),
                  "draw": numpy.random.rand(), "uid": os.getuid(), "fonts": os.listdir("/tmp/.matplotlib"),
                  "segments": len(open("/proc/sysvipc/shm").readlines()) - 1}))
"""

REACH_THE_PARENT = """
import json, os, signal
parent, refused = os.getppid(), []
for path in (f"/proc/{parent}/mem", f"/proc/{parent}/fd/0", f"/proc/{parent}/environ"):
    try:
        open(path, "rb").read(1)
    except PermissionError:
        refused.append(path)
for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGUSR1, signal.SIGPIPE):
    os.kill(parent, signum)
print(json.dumps({"refused": refused}))
"""


def run(kernel, code):
    """Run code in the kernel -> what it printed, parsed as JSON (the test fails on an error)."""
    messages = []
    reply = run_sync(kernel.kc.execute_interactive)(code, output_hook=messages.append, timeout=60)
    assert reply["content"]["status"] == "ok", [m["content"] for m in messages if m["msg_type"] == "error"]
    return json.loads("".join(m["content"]["text"] for m in messages if m["msg_type"] == "stream"))


@pytest.fixture
def pool():
    pool = KernelPool()
    yield pool
    pool.close()


def test_each_notebook_of_a_student_starts_fresh(pool):
    first = pool.take(KEY, Config(), 60, owner="student")
    left = run(first, LEAVE_TRACES)
    sandbox = pool.sandbox
    pool.finish(first, more=True)
    second = pool.take(KEY, Config(), 60, owner="student")
    assert pool.sandbox is sandbox  # forked in the same sandbox, from the same parent
    seen = run(second, LOOK_FOR_TRACES)
    assert seen["files"] == [False] * 4
    assert seen["sleepers"] == []
    assert not seen["env"] and not seen["module"]
    assert seen["segments"] == 0
    assert seen["draw"] != left["draw"]  # NumPy's global generator seeded afresh, as in a kernel of its own
    assert seen["fonts"]  # matplotlib's font list put back in the emptied /tmp
    if running_as_root():
        assert seen["uid"] == left["uid"] != 0
    pool.finish(second, more=False)
    assert pool.sandbox is None and not sandbox.alive()  # the student's last notebook ends their sandbox
    if running_as_root():
        assert kernel_processes(left["uid"]) == []


def test_a_kernel_cannot_reach_or_stop_its_parent(pool):
    first = pool.take(KEY, Config(), 60, owner="student")
    sandbox = pool.sandbox
    assert len(run(first, REACH_THE_PARENT)["refused"]) == 3
    assert sandbox.alive()
    pool.finish(first, more=True)
    second = pool.take(KEY, Config(), 60, owner="student")
    assert pool.sandbox is sandbox and run(second, "print(1)") == 1
    pool.finish(second, more=False)


def test_a_kernel_that_kills_its_parent_runs_on(pool):
    """Its parent is a waiter forked for it, not the process its student's later kernels are forked from."""
    first = pool.take(KEY, Config(), 60, owner="student")
    sandbox = pool.sandbox
    assert run(first, "import os, signal, json\nos.kill(os.getppid(), signal.SIGKILL)\nprint(json.dumps(4))") == 4
    assert run(first, "print(6)") == 6 and sandbox.alive()
    pool.finish(first, more=True)
    second = pool.take(KEY, Config(), 60, owner="student")  # stops its waiter, which then cannot tell its end
    assert pool.sandbox is sandbox and run(second, "import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)\n"
                                               "print(7)") == 7
    pool.finish(second, more=True)
    third = pool.take(KEY, Config(), 60, owner="student")
    assert pool.sandbox is sandbox and run(third, "print(8)") == 8
    pool.finish(third, more=False)


def test_a_kernel_that_stops_its_parent_or_locks_its_folders_costs_the_next_notebook_nothing(pool):
    first = pool.take(KEY, Config(), 60, owner="student")
    sandbox = pool.sandbox
    run(first, "import os, signal\nfor folder in ('.', '/tmp', '/dev/shm'):\n    try:\n        os.chmod(folder, 0)\n"
               "    except OSError:\n        pass\n"
               "parent = int(open(f'/proc/{os.getppid()}/stat').read().rsplit(')', 1)[1].split()[1])\n"
               "os.kill(parent, signal.SIGSTOP)\nprint(1)")
    pool.finish(first, more=True)
    assert not sandbox.alive()  # it could not clean up after the kernel: ended with everything in it
    second = pool.take(KEY, Config(), 60, owner="student")
    assert run(second, "import os\nprint(int(os.access('.', os.W_OK) and os.access('/tmp', os.W_OK)))") == 1
    pool.finish(second, more=True)
    third = pool.take(KEY, Config(), 60, owner="student")  # the folders' modes put back between notebooks
    run(third, "import os\nfor folder in ('.', '/tmp', '/dev/shm'):\n    try:\n        os.chmod(folder, 0)\n"
               "    except OSError:\n        pass\nprint(1)")
    pool.finish(third, more=True)
    fourth = pool.take(KEY, Config(), 60, owner="student")
    assert run(fourth, "import os\nprint(int(os.access('.', os.W_OK) and os.access('/tmp', os.W_OK)))") == 1
    pool.finish(fourth, more=False)


def test_a_students_sandbox_is_not_given_to_the_next_student(pool):
    pool.start_ahead(students=2)
    first = pool.take(KEY, Config(), 60, owner="a")
    mine = pool.sandbox
    assert len(pool.waiting) == 1  # the next student's, started while this one is graded
    pool.finish(first, more=False)
    assert not mine.alive()
    second = pool.take(KEY, Config(), 60, owner="b")
    assert pool.sandbox is not mine and pool.waiting == []  # no third student: nothing started for nothing
    pool.finish(second, more=False)


def test_a_dask_task_starts_one_sandbox(pool):
    """A Dask task grades one student: their notebooks share a sandbox, and no other is started."""
    pool.start_ahead(students=1)
    kernels = []
    for more in (True, True, False):
        kernels.append(pool.take(KEY, Config(), 60, owner="student"))
        assert pool.waiting == []
        pool.finish(kernels[-1], more=more)
    assert pool.sandbox is None and pool.forked == {}


def test_kernels_end_and_fork_again_where_linux_has_no_pidfd(pool, monkeypatch):
    """Before Linux 5.3 the parent cannot wait on a pidfd; it then looks for its kernel's end every 10 ms."""
    from autograder.isolation import student_sandbox
    assert "os.pidfd_open(pid)" in student_sandbox.PROGRAM
    monkeypatch.setattr(student_sandbox, "PROGRAM", student_sandbox.PROGRAM.replace("os.pidfd_open(pid)",
                                                                                    "os.pidfd_open_missing(pid)"))
    for more in (True, False):
        kernel = pool.take(KEY, Config(), 60, owner="student")
        assert run(kernel, "print(3)") == 3
        pool.finish(kernel, more=more)
        assert kernel.km.provisioner is None or kernel.km.provisioner.process is None  # its end was seen


def test_a_parent_that_cannot_fork_costs_nothing(pool, monkeypatch):
    """A parent that refuses (threads after its imports) or dies: the notebook's kernel starts on its own."""
    from autograder.isolation import student_sandbox
    refusing = student_sandbox.PROGRAM.replace("    say(events, ready=True)\n",
                                               "    return say(events, error='refused for the test')\n")
    assert refusing != student_sandbox.PROGRAM
    monkeypatch.setattr(student_sandbox, "PROGRAM", refusing)
    kernel = pool.take(KEY, Config(), 60, owner="student")
    assert not kernel.forked and run(kernel, "print(8)") == 8
    pool.finish(kernel, more=False)
