"""Warm kernels: a notebook's kernel has imported the kit's heavy modules before the notebook needs it.

Sandboxed, each student's notebooks run in a sandbox of their own (autograder.isolation.student_sandbox)
whose parent imports what every kernel imports once, then forks a fresh kernel for each notebook; the next
student's sandbox starts and imports while the current student is graded. Unsandboxed, each notebook starts
a kernel of its own when it needs it, as jupyter_client does.

A kernel serves one notebook only and is handed over empty: only when a notebook takes it does the grader
copy that submission into its folder and tell it the seed (`claim_code`). A sandbox is never handed to a
second student; those left over when the grading process ends are killed with everything in them (and
bubblewrap's --die-with-parent kills them if the process dies first).
"""
import asyncio
import atexit
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.util import Finalize

from jupyter_core.utils import run_sync

from assignments.kernel_state import SEED_VARIABLE
from assignments.tasks.budget import CELL_TIMEOUT_VARIABLE

from .kernel import GradingKernelManager, kernel_environment
from .sandbox import SUBMISSION, WORKDIR, exit_reason
from .student_sandbox import StudentSandbox


@dataclass
class WarmKernel:
    """A started kernel no notebook has used: its manager, a client already connected to it (so its
    output channel is subscribed before the first request, not after) and its scratch folder (work/
    empty, run/), its own or (forked) its student's sandbox's."""
    key: tuple
    km: GradingKernelManager
    kc: object
    scratch: str

    @property
    def forked(self):
        """Whether its student's sandbox forked it (else it runs in a process and sandbox of its own)."""
        return self.km.forked_from is not None

    async def answers(self, timeout):
        """True once the kernel answers a kernel_info request on both channels: its idle status on the output
        channel shows that channel connected and drained (jupyter_client's wait_for_ready then waits 0.2 s
        more for silence, each notebook). False if it dies or stays silent first. Asks again every 0.1 s:
        a kernel still starting misses the status of a request made before its output channel connected."""
        deadline = time.monotonic() + timeout
        asked = set()
        while time.monotonic() < deadline:
            asked.add(self.kc.kernel_info())
            try:
                async with asyncio.timeout(0.1):
                    while True:
                        msg = await self.kc.get_iopub_msg()
                        if (msg["parent_header"].get("msg_id") in asked
                                and msg["content"].get("execution_state") == "idle"):
                            return True
            except (TimeoutError, asyncio.TimeoutError):
                if not await self.km.is_alive():
                    return False
        return False

    def exit_reason(self):
        """Why the kernel's process ended, in words (autograder.isolation.sandbox.exit_reason)."""
        process = getattr(self.km.provisioner, "process", None)
        return exit_reason(process.poll() if process is not None else None, self.km.limits)

    def discard(self):
        """Kill the kernel (and with it its sandbox, unless it was forked in a student's) and remove its
        folder (a student's sandbox empties its own)."""
        try:
            # a kernel that died (os._exit, a limit) was cleaned up by nbclient, which closed its sockets:
            # asking it to shut down would need them
            if self.km.has_kernel and run_sync(self.km.is_alive)():
                run_sync(self.km.shutdown_kernel)(now=True)
        finally:
            self.kc.stop_channels()
            run_sync(self.km.cleanup_resources)()
            if not self.forked:
                shutil.rmtree(self.scratch, ignore_errors=True)


def start_kernel(key, config, sandbox=None):
    """A kernel started now, empty; key: (sandboxed, limits); sandbox: the StudentSandbox to fork it in
    (free: StudentSandbox.wait_until_free), or None for a process of its own."""
    sandboxed, limits = key
    scratch = str(sandbox.scratch) if sandbox else tempfile.mkdtemp(prefix="backprop-kernel-")
    km = GradingKernelManager(kernel_name="python3", config=config, scratch=scratch, sandboxed=sandboxed,
                              limits=limits, forked_from=sandbox)
    if sandbox is None:
        km.workdir.mkdir()
    home = "/tmp" if sandboxed else str(km.workdir.parent / "home")
    env = kernel_environment("", home)
    env.pop(SEED_VARIABLE)  # the notebook that takes the kernel sets it (claim_code)
    run_sync(km.start_kernel)(env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              extra_arguments=["--HistoryManager.hist_file=:memory:"])  # as nbclient starts one
    kc = km.client()
    kc.start_channels()
    return WarmKernel(key, km, kc, scratch)


def claim_code(seed, sandboxed, cell_timeout=None):
    """What a notebook's kernel runs first, silently, binding no name: the student's seed (and the cell
    timeout the probe budgets its runs by, assignments/tasks/budget.py) in its environment and, in the
    sandbox, the submission (copied into the kernel's folder by then) copied from the read-only mount into
    its working folder, as its own uid, so the files are its own."""
    copy = (f"__import__('subprocess').run(['cp', '-R', '{SUBMISSION}/.', '{WORKDIR}/'], check=True), "
            if sandboxed else "")
    budget = (f"__import__('os').environ.__setitem__({CELL_TIMEOUT_VARIABLE!r}, {str(cell_timeout)!r}), "
              if cell_timeout and cell_timeout > 0 else "")
    return (f"__import__('os').environ.__setitem__({SEED_VARIABLE!r}, {str(seed)!r}), {budget}{copy}"
            "__import__('importlib').invalidate_caches()")


class KernelPool:
    """The sandbox of the student being graded and, once a batch has called start_ahead() and until close(),
    one started for the next student; otherwise (nbgrader's API or stock `nbgrader autograde`) each
    student's sandbox starts when their first notebook needs it. A sandbox's next kernel is forked as soon as
    its last one has ended (finish), so that it starts while the grader judges and records the notebook."""

    def __init__(self):
        self.sandbox = self.owner = None  # the sandbox of the student being graded, and who that is
        self.waiting = []  # a sandbox started for the next student
        self.forked_ahead = {}  # sandbox -> the kernel forked in it for its next notebook
        self.ahead, self.left = False, None
        atexit.register(self.close)
        Finalize(self, self.close, exitpriority=100)  # a pool worker process's exit runs these, not always atexit

    def take(self, key, config, timeout, owner=None):
        """A started kernel no one has used that answers within timeout seconds; key: (sandboxed, limits);
        owner: whose notebook (a student's submission): the kernels of one owner are forked one after the
        other in that owner's sandbox (None: a sandbox of the notebook's own). A kernel that dies or hangs
        before it answers has been given nothing of anyone's (a boot that failed on a busy machine, a parent
        that cannot fork) and is replaced, once, by a kernel started on its own in a sandbox of its own;
        KernelStartError when the replacement fails too."""
        sandboxed, limits = key
        reason = ""
        for attempt in range(2):
            sandbox = self.sandbox_of(owner, limits) if sandboxed and attempt == 0 else None
            kernel = None
            try:
                kernel = self.forked_kernel(sandbox, key, config, timeout) if sandbox else start_kernel(key, config)
                if kernel is not None and run_sync(kernel.answers)(timeout):
                    break
            except OSError as error:  # the sandbox's parent did not fork
                reason = str(error)
            if kernel is not None:
                reason = "it did not answer" if run_sync(kernel.km.is_alive)() else kernel.exit_reason()
                kernel.discard()
                kernel = None
            if sandbox is not None:
                reason = reason or sandbox.problem or "its sandbox did not start"
                self.end_sandbox()
        if kernel is None:
            raise KernelStartError(f"the grading kernel did not start ({reason}, twice)")
        if sandboxed and self.ahead and not self.waiting and (self.left is None or self.left > 0):
            try:
                self.waiting.append(StudentSandbox(limits))
            except OSError:  # the next student starts their own, and says why if it cannot
                pass
        return kernel

    def finish(self, kernel, more=True):
        """Discard a notebook's kernel; more: whether its student has notebooks left, whose next kernel is then
        forked now (else the student's sandbox ends now, and the next student's first kernel is forked). A
        sandbox whose parent does not see its kernel end (a kernel stopped it) ends now, with everything in it."""
        kernel.discard()
        if not kernel.forked:
            return
        if not more or self.sandbox is None or not self.sandbox.wait_until_free(1):
            self.end_sandbox()
        following = self.sandbox or next(iter(self.waiting), None)
        if following is not None and following.alive() and following.wait_until_free(0):
            try:
                self.forked_ahead[following] = start_kernel(kernel.key, kernel.km.config, following)
            except Exception:  # only a head start: the notebook that takes it forks again, and says why if it cannot
                pass

    def forked_kernel(self, sandbox, key, config, timeout):
        """The kernel forked ahead in sandbox if it was forked for these settings, else one forked now; None
        when the sandbox does not become free within timeout seconds."""
        kernel = self.forked_ahead.pop(sandbox, None)
        if kernel is not None and (kernel.key, kernel.km.config) == (key, config):
            return kernel
        if kernel is not None:
            kernel.discard()
        return start_kernel(key, config, sandbox) if sandbox.wait_until_free(timeout) else None

    def sandbox_of(self, owner, limits):
        """The sandbox of owner's notebooks: the one in use if it is theirs, else the next one waiting."""
        if self.sandbox is not None and (owner is None or owner != self.owner or self.sandbox.limits != limits
                                         or not self.sandbox.alive()):
            self.end_sandbox()
        if self.sandbox is None:
            self.left = None if self.left is None else self.left - 1
            matching = [s for s in self.waiting if s.limits == limits and s.alive()]
            if matching:
                self.waiting.remove(matching[0])
            self.discard_waiting()  # other limits, or dead
            self.sandbox = matching[0] if matching else StudentSandbox(limits)
            self.owner = owner
        return self.sandbox

    def start_ahead(self, students=None):
        """Start each next student's sandbox ahead from the next take on; students: how many this process has
        left to grade (None: no end known), so that no sandbox is started for nothing."""
        self.ahead, self.left = True, students

    def close(self):
        """Stop starting sandboxes ahead, and kill the ones started."""
        self.ahead = False
        self.end_sandbox()
        self.discard_waiting()

    def end_sandbox(self):
        sandbox, self.sandbox, self.owner = self.sandbox, None, None
        if sandbox is not None:
            self.close_sandbox(sandbox)

    def discard_waiting(self):
        waiting, self.waiting = self.waiting, []
        for sandbox in waiting:
            self.close_sandbox(sandbox)

    def close_sandbox(self, sandbox):
        kernel = self.forked_ahead.pop(sandbox, None)
        if kernel is not None:
            kernel.discard()
        sandbox.close()


class KernelStartError(RuntimeError):
    """No grading kernel could be started for a notebook."""


POOL = KernelPool()
