"""One student's sandbox: bubblewrap around a kernel parent (autograder.isolation.kernel_parent) that has
imported what every kernel imports, and forks a fresh kernel for each of the student's notebooks.

A student's notebooks share its sandbox (its uid, its limits, its folders), one after the other, never at
once: the parent kills whatever a notebook left running and empties its folders before the next kernel
starts. No two students ever share one: each student's sandbox is started before any of their files is in
it, and killed (with everything in it) when the grading process goes on to another student.
"""
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assignments.kernel_state import SEED_VARIABLE

from .kernel import SANDBOX_MPLCONFIGDIR, font_cache, kernel_environment
from .sandbox import FONT_CACHE, WORKDIR, bwrap_command, hand_over, running_as_root, sandbox_uid

PROGRAM = Path(__file__).with_name("kernel_parent.py").read_text()


class StudentSandbox:
    """A started sandbox and its kernel parent.

    scratch: a private folder of the grader; work/ is mounted read-only in the sandbox (a notebook's kernel
    copies the submission from it when it claims the kernel), run/ holds the kernels' connection files and
    ZMQ sockets (the same path inside and out).
    """

    def __init__(self, limits):
        self.limits = limits
        self.scratch = Path(tempfile.mkdtemp(prefix="backprop-sandbox-"))
        self.work, self.run = self.scratch / "work", self.scratch / "run"
        self.work.mkdir(), self.run.mkdir()
        self.uid = sandbox_uid() if running_as_root() else None
        hand_over(str(self.run), self.uid)
        env = kernel_environment("", "/tmp")
        env.pop(SEED_VARIABLE)  # the notebook that takes a kernel sets it (kernel_pool.claim_code)
        program = [sys.executable, "-S", "-c", PROGRAM, WORKDIR, str(self.run), SANDBOX_MPLCONFIGDIR, FONT_CACHE]
        command = bwrap_command(program, str(self.work), str(self.run), limits, self.uid, font_cache(limits),
                                SANDBOX_MPLCONFIGDIR)
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, env=env, cwd=self.scratch)
        os.set_blocking(self.process.stdout.fileno(), False)
        self.received, self.ready, self.kernel, self.forks = b"", False, None, 0
        self.problem = ""

    def connection_paths(self):
        """(connection file, ipc socket prefix) for the next kernel: a name of its own."""
        self.forks += 1
        return str(self.run / f"kernel-{self.forks}.json"), str(self.run / f"kernel-{self.forks}")

    def wait_until_free(self, timeout):
        """True once the parent has answered it is ready and no kernel of it is running (its last one ended
        and was cleaned up after); False if it died, refused, or took longer than timeout seconds."""
        deadline = time.monotonic() + timeout
        if self.kernel is not None and self.kernel.poll() is None:
            self.kernel.kill()
        while not self.ready or (self.kernel is not None and self.kernel.poll() is None):
            message = self.receive(deadline - time.monotonic())
            if message is None:
                return False
        return True

    def fork(self, arguments):
        """Fork a kernel started as `ipykernel_launcher <arguments>` would be (its connection file written in
        run/, not yet handed over) -> ForkedProcess. Call wait_until_free first. OSError when the parent does
        not answer."""
        empty(self.work)  # the notebook copies the submission in afresh (autograder.judging.preprocessors)
        hand_over(str(self.run), self.uid)
        self.send(fork=list(arguments))
        message = self.receive(10, expect="pid")
        if message is None:
            raise OSError(f"the kernel parent did not fork ({self.problem or 'no answer'})")
        self.kernel = ForkedProcess(self, message["pid"])
        return self.kernel

    def send(self, **message):
        try:
            self.process.stdin.write(json.dumps(message).encode() + b"\n")
            self.process.stdin.flush()
        except (OSError, ValueError):
            pass  # the parent is gone; receive() says so

    def receive(self, timeout, expect=None):
        """The parent's next message (recording "ready" and "exit"), or None when it ended or timeout passed."""
        deadline = time.monotonic() + max(timeout, 0)
        while True:
            if b"\n" in self.received:
                line, self.received = self.received.split(b"\n", 1)
                message = json.loads(line)
                if message.get("ready"):
                    self.ready = True
                if "exit" in message and self.kernel is not None:
                    self.kernel.returncode = message["exit"]
                if "error" in message:
                    self.problem = message["error"]
                if expect is None or expect in message:
                    return message
                continue
            if self.process.stdout.closed:  # closed: it and its kernels are gone
                return None
            if not select.select([self.process.stdout], [], [], max(deadline - time.monotonic(), 0))[0]:
                return None
            chunk = self.process.stdout.read()
            if chunk == b"":  # the parent died, and with it its sandbox and its kernel
                code = self.process.wait()
                if self.kernel is not None and self.kernel.returncode is None:
                    self.kernel.returncode = code if code >= 0 else 128 - code
                return None
            self.received += chunk or b""

    def alive(self):
        return self.process.poll() is None

    def close(self):
        """End the sandbox with everything in it, and remove its folder: told to (its parent kills every
        other process of the sandbox and waits until they are gone before it exits), else killed."""
        try:
            self.process.stdin.close()
            self.process.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()  # bubblewrap's --die-with-parent ends the rest of the sandbox
            self.process.wait()
        self.process.stdout.close()
        shutil.rmtree(self.scratch, ignore_errors=True)


class ForkedProcess:
    """A kernel forked in a student's sandbox, seen as jupyter_client's provisioner sees the process it
    started: poll, wait, send_signal, kill, terminate. Its pid is the one inside the sandbox."""
    stdin = stdout = stderr = None

    def __init__(self, sandbox, pid):
        self.sandbox, self.pid, self.returncode = sandbox, pid, None

    def poll(self):
        if self.returncode is None:
            self.sandbox.receive(0)
        return self.returncode

    def wait(self, timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired("forked kernel", timeout)
            self.sandbox.receive(0.05 if deadline is None else min(0.05, deadline - time.monotonic()))
        return self.returncode

    def send_signal(self, signum):
        if self.poll() is None:
            self.sandbox.send(signal=int(signum))

    def kill(self):
        self.send_signal(signal.SIGKILL)

    def terminate(self):
        self.send_signal(signal.SIGTERM)


def empty(folder):
    """Remove everything in folder, which stays (it is mounted in the sandbox)."""
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            os.unlink(entry.path)
