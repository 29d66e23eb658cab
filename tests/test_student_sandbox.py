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


LOCK_FOLDERS = """
import os
for folder in (".", "/tmp", "/dev/shm"):
    try:
        os.chmod(folder, 0)
    except OSError:  # not the kernel's (bubblewrap made it as root): only the non-root sandbox can lock it
        pass
"""
CAN_WRITE = "import os\nprint(int(os.access('.', os.W_OK) and os.access('/tmp', os.W_OK)))"
STOP_THE_PARENT = ("import os, signal\n"  # the waiter's parent: the process the kernels are forked from
                   "os.kill(int(open(f'/proc/{os.getppid()}/stat').read().rsplit(')', 1)[1].split()[1]), signal.SIGSTOP)")


@pytest.fixture
def pool():
    pool = KernelPool()
    yield pool
    pool.close()


def notebook(pool, *cells, owner="student", more=True):
    """Grade one notebook of owner in the pool: take a kernel, run the cells, finish -> (what the last cell
    printed, the sandbox the kernel ran in)."""
    kernel = pool.take(KEY, Config(), 60, owner=owner)
    sandbox = pool.sandbox
    printed = [run(kernel, cell) for cell in cells]
    pool.finish(kernel, more=more)
    return printed[-1], sandbox


def test_each_notebook_of_a_student_starts_fresh(pool):
    left, sandbox = notebook(pool, LEAVE_TRACES)
    seen, same = notebook(pool, LOOK_FOR_TRACES, more=False)
    assert same is sandbox  # forked in the same sandbox, from the same parent
    assert seen["files"] == [False] * 4
    assert seen["sleepers"] == []
    assert not seen["env"] and not seen["module"]
    assert seen["segments"] == 0
    assert seen["draw"] != left["draw"]  # NumPy's global generator seeded afresh, as in a kernel of its own
    assert seen["fonts"]  # matplotlib's font list put back in the emptied /tmp
    if running_as_root():
        assert seen["uid"] == left["uid"] != 0
    assert pool.sandbox is None and not sandbox.alive()  # the student's last notebook ends their sandbox
    if running_as_root():
        assert kernel_processes(left["uid"]) == []


def test_a_kernel_cannot_reach_or_stop_its_parent(pool):
    reached, sandbox = notebook(pool, REACH_THE_PARENT)
    assert len(reached["refused"]) == 3 and sandbox.alive()
    assert notebook(pool, "print(1)", more=False) == (1, sandbox)


def test_a_kernel_that_kills_its_parent_runs_on(pool):
    """Its parent is a waiter forked for it, not the process its student's later kernels are forked from."""
    printed, sandbox = notebook(pool, "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nprint(4)",
                                "print(6)")
    assert printed == 6 and sandbox.alive()
    # stops its waiter, which then cannot tell the kernel's end: the parent sees it end all the same
    assert notebook(pool, "import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)\nprint(7)") == (7, sandbox)
    assert notebook(pool, "print(8)", more=False) == (8, sandbox)


def test_a_kernel_that_stops_its_parent_or_locks_its_folders_costs_the_next_notebook_nothing(pool):
    _, stopped = notebook(pool, LOCK_FOLDERS + STOP_THE_PARENT + "\nprint(1)")
    assert not stopped.alive()  # it could not clean up after the kernel: ended with everything in it
    assert notebook(pool, CAN_WRITE)[0] == 1
    notebook(pool, LOCK_FOLDERS + "print(1)")  # the folders' modes are put back between notebooks
    assert notebook(pool, CAN_WRITE, more=False)[0] == 1


def test_a_students_sandbox_is_not_given_to_the_next_student(pool):
    pool.start_ahead(students=2)
    first = pool.take(KEY, Config(), 60, owner="a")
    mine = pool.sandbox
    assert len(pool.waiting) == 1  # the next student's, started while this one is graded
    pool.finish(first, more=False)
    assert not mine.alive()
    _, theirs = notebook(pool, "print(1)", owner="b", more=False)
    assert theirs is not mine and not theirs.alive()
    assert pool.waiting == []  # no third student: nothing started for nothing


def test_a_dask_task_starts_one_sandbox(pool):
    """A Dask task grades one student: their notebooks share a sandbox, and no other is started."""
    pool.start_ahead(students=1)
    kernels = []
    for more in (True, True, False):
        kernels.append(pool.take(KEY, Config(), 60, owner="student"))
        assert pool.waiting == []
        pool.finish(kernels[-1], more=more)
    assert pool.sandbox is None and pool.forked_ahead == {}


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
