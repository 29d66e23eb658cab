"""Warm kernels: the next notebooks' sandboxed kernels start, import the kit's heavy modules and connect a
client while the current notebook runs and is judged, so no notebook waits for a kernel to boot.

Each kernel is fresh and serves one notebook only: it is started empty (its own scratch folder, sandbox,
namespaces and limits, exactly as autograder.isolation.kernel starts one), and only when a notebook takes
it does the grader copy that submission into its folder and tell it the seed (`claim_code`). A kernel is never
handed to a second notebook or student; those left over when the grading process ends are killed with
their sandboxes (and bubblewrap's --die-with-parent kills it if the process dies first).
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

# what every notebook's setup imports: imported while the kernel waits, binding no name
HEAVY_MODULES = ("numpy", "matplotlib.pyplot", "matplotlib.ticker", "matplotlib_inline.backend_inline",
                 "IPython.display")
PREIMPORT = f"[__import__(name) for name in {HEAVY_MODULES!r}] and None"


@dataclass
class WarmKernel:
    """A started kernel no notebook has used: its manager, a client already connected to it (so its
    output channel is subscribed before the first request, not after) and its scratch folder (work/
    empty, run/)."""
    key: tuple
    km: GradingKernelManager
    kc: object
    scratch: str

    async def answers(self, timeout):
        """True once the kernel answers a kernel_info request on both channels: its idle status on the output
        channel shows that channel connected and drained (jupyter_client's wait_for_ready then waits 0.2 s
        more for silence, each notebook). False if it dies or stays silent first. Asks again each second:
        a kernel still booting or a channel still connecting may miss a request."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            msg_id = self.kc.kernel_info()
            try:
                async with asyncio.timeout(1):
                    while True:
                        msg = await self.kc.get_iopub_msg()
                        if (msg["parent_header"].get("msg_id") == msg_id
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
        """Kill the kernel (and with it its sandbox) and remove its folder."""
        try:
            # a kernel that died (os._exit, a limit) was cleaned up by nbclient, which closed its sockets:
            # asking it to shut down would need them
            if self.km.has_kernel and run_sync(self.km.is_alive)():
                run_sync(self.km.shutdown_kernel)(now=True)
        finally:
            self.kc.stop_channels()
            run_sync(self.km.cleanup_resources)()
            shutil.rmtree(self.scratch, ignore_errors=True)


def start_kernel(key, config):
    """A kernel started now, empty; key: (sandboxed, limits)."""
    sandboxed, limits = key
    scratch = tempfile.mkdtemp(prefix="backprop-kernel-")
    km = GradingKernelManager(kernel_name="python3", config=config, scratch=scratch, sandboxed=sandboxed,
                              limits=limits)
    km.workdir.mkdir()
    home = "/tmp" if sandboxed else str(km.workdir.parent / "home")
    env = kernel_environment("", home)
    env.pop(SEED_VARIABLE)  # the notebook that takes the kernel sets it (claim_code)
    run_sync(km.start_kernel)(env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              extra_arguments=[f"--IPKernelApp.exec_lines={[PREIMPORT]!r}",
                                               "--HistoryManager.hist_file=:memory:"])  # as nbclient starts one
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


AHEAD = 2  # a student's next two notebooks: the first of them is often done before one kernel has booted


class KernelPool:
    """AHEAD kernels started ahead per grading process (a kernel per notebook, never reused), once a batch
    has called start_ahead() and until close(); otherwise (nbgrader's API or stock `nbgrader autograde`)
    each notebook starts its own kernel when it needs it."""

    def __init__(self):
        self.ready, self.ahead, self.left = [], False, None  # kernels started ahead, oldest first
        atexit.register(self.close)
        Finalize(self, self.close, exitpriority=100)  # a pool worker process's exit runs these, not always atexit

    def take(self, key, config, timeout):
        """A started kernel no one has used (the one started ahead when it matches key, else a new one) that
        answers within timeout seconds; the next ones are started at once, to boot while it works. A kernel
        that dies or hangs before it answers has been given nothing of anyone's (a boot that failed on a
        busy machine) and is replaced, once; KernelStartError when the replacement fails too."""
        kernel = self.ready.pop(0) if self.ready else None
        self.left = None if self.left is None else self.left - 1
        if kernel is not None and kernel.key != key:  # other limits or sandbox: so are the others waiting
            kernel.discard()
            self.discard_ready()
            kernel = None
        for attempt in range(2):
            kernel = kernel or start_kernel(key, config)
            if run_sync(kernel.answers)(timeout):
                break
            reason = "it did not answer" if run_sync(kernel.km.is_alive)() else kernel.exit_reason()
            kernel.discard()
            kernel = None
        if kernel is None:
            raise KernelStartError(f"the grading kernel did not start ({reason}, twice)")
        try:
            while self.ahead and len(self.ready) < min(AHEAD, AHEAD if self.left is None else self.left):
                self.ready.append(start_kernel(key, config))
        except Exception:  # the next notebook starts its own, and says why if it cannot
            pass
        return kernel

    def start_ahead(self, notebooks=None):
        """Start kernels ahead from the next take on; notebooks: how many the batch has left to grade (None: no
        end known), so that no kernel is started for nothing."""
        self.ahead, self.left = True, notebooks

    def close(self):
        """Stop starting kernels ahead, and kill the ones waiting."""
        self.ahead = False
        self.discard_ready()

    def discard_ready(self):
        ahead, self.ready = self.ready, []
        for kernel in ahead:
            kernel.discard()


class KernelStartError(RuntimeError):
    """No grading kernel could be started for a notebook."""


POOL = KernelPool()
