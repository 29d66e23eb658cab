"""The kernel a submission runs in: the course's Python, without the grader, inside the sandbox.

The kernel starts with `python -S`, so no .pth file runs and only the third-party packages (numpy,
IPython, ...) are on its path. It works in its own copy of the submission folder (which holds the
grader's copy of the kit); in the sandbox (autograder.isolation.sandbox) that copy is all it sees of the
machine. It talks to the grader over ZMQ's ipc transport, through Unix sockets in a folder of its
own, since TCP cannot cross the sandbox's network namespace.
"""
import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Any, Bool, Unicode

import assignments
from assignments.kernel_state import SEED_VARIABLE

from .sandbox import Limits, bwrap_command, hand_over, package_paths, running_as_root, sandbox_uid
from .submission import regular_files

KIT = Path(assignments.__file__).resolve().parent  # the student kit: the installed `assignments` package
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
PASSED_VARIABLES = ("PATH", "LANG", "LC_ALL", "TZ")  # all else of the grader's environment stays out


def kernel_environment(seed, home):
    """The environment of a grading kernel: the student's seed and nothing of the grader's secrets (a kernel
    started ahead gets its seed and cell timeout when a notebook claims it: kernel_pool.claim_code).

    home: a writable folder for IPython's and matplotlib's settings (inside the sandbox: its /tmp).
    """
    env = {key: os.environ[key] for key in PASSED_VARIABLES if key in os.environ}
    env.update({
        "HOME": home, "USER": "student", "LOGNAME": "student",
        "PYTHONPATH": os.pathsep.join(package_paths()),
        "IPYTHONDIR": os.path.join(home, ".ipython"),
        "MPLCONFIGDIR": os.path.join(home, ".matplotlib"),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        SEED_VARIABLE: str(seed),
        # one BLAS thread: these matrices are small, and several kernels grading at once would otherwise
        # fight over the cores (measured: two workers with default threads took as long as one)
        **{variable: "1" for variable in BLAS_THREAD_VARIABLES},
    })
    return env


SANDBOX_MPLCONFIGDIR = kernel_environment("", "/tmp")["MPLCONFIGDIR"]


@lru_cache(maxsize=None)
def font_cache(limits):
    """A folder holding the font list matplotlib makes inside the sandbox, made once per grading process
    (in a sandbox like the kernels', so the fonts it lists are those a kernel sees), or None when it
    cannot be made: each kernel then makes its own, as before."""
    folder = Path(tempfile.mkdtemp(prefix="backprop-fonts-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    work, cache = folder / "work", folder / "cache"
    work.mkdir(), cache.mkdir()
    uid = sandbox_uid() if running_as_root() else None
    hand_over(str(cache), uid)
    env = {**kernel_environment("", "/tmp"), "MPLCONFIGDIR": str(cache)}
    command = bwrap_command([sys.executable, "-S", "-c", "import matplotlib.font_manager"], str(work), str(cache),
                            limits, uid)
    try:
        subprocess.run(command, env=env, capture_output=True, timeout=120, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return str(cache) if any(cache.glob("fontlist-*.json")) else None


def copy_submission(source, target, skip=frozenset()):
    """Copy the regular files under source into target, except the relative paths in skip.

    Links, devices, FIFOs and sockets are never followed or copied (the grading step has set them aside
    and reported them; a stock `nbgrader autograde` passes what it found in skip)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in regular_files(source):
        relative = path.relative_to(source)
        if str(relative) not in skip:  # a hard link to a file outside the submission
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / relative, follow_symlinks=False)


class GradingKernelManager(AsyncKernelManager):
    """Starts `python -S -m ipykernel_launcher` in its own copy of the submission, sandboxed unless
    told otherwise, whatever kernel the notebook names; or, given a student's sandbox (forked_from:
    autograder.isolation.student_sandbox), has its kernel parent fork one there."""

    scratch = Unicode(help="A private folder: the submission's copy (work/) and the kernel's sockets (run/).")
    sandboxed = Bool(True)
    limits = Any(Limits())
    forked_from = Any(None, allow_none=True, help="A StudentSandbox whose parent forks the kernel, or None.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.transport = "ipc"
        if self.forked_from is not None:  # its sandbox's folder, uid and sockets' folder
            self.connection_file, self.ip = self.forked_from.connection_paths()
            self.uid = self.forked_from.uid
            return
        run = Path(self.scratch, "run")
        run.mkdir(parents=True)
        self.ip = str(run / "kernel")
        self.connection_file = str(run / "kernel.json")
        self.uid = sandbox_uid() if self.sandboxed and running_as_root() else None

    @property
    def workdir(self):
        return Path(self.scratch, "work")

    @property
    def kernel_spec(self):
        # jupyter_client would interrupt with SIGINT to the process it started, which is bwrap: that ends
        # the sandbox instead of the cell. A message reaches the kernel itself.
        spec = super().kernel_spec
        if spec is not None:
            spec.interrupt_mode = "message"
        return spec

    async def _async_wait(self, pollinterval=0.005):
        # a killed sandbox is gone within milliseconds; jupyter_client's 0.1 s polls cost each notebook 0.1 s
        await super()._async_wait(pollinterval=pollinterval)

    def format_kernel_cmd(self, extra_arguments=None):
        command = [sys.executable, "-S", "-m", "ipykernel_launcher", "-f", self.connection_file,
                   *(extra_arguments or [])]
        if not self.sandboxed or self.forked_from is not None:
            return command
        hand_over(str(Path(self.connection_file).parent), self.uid)
        return bwrap_command(command, str(self.workdir), str(Path(self.connection_file).parent), self.limits,
                             self.uid, font_cache(self.limits), SANDBOX_MPLCONFIGDIR)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if self.forked_from is not None:  # the provisioner handles the forked kernel as the process it started
            arguments = kernel_cmd[kernel_cmd.index("ipykernel_launcher") + 1:]  # -f <connection file> ...
            process = self.forked_from.fork(arguments)
            self.provisioner.process, self.provisioner.pid, self.provisioner.pgid = process, process.pid, None
            self._reconcile_connection_info(self.provisioner.connection_info)
            return
        kw["cwd"] = str(self.workdir)  # unsandboxed: the copy; sandboxed: bwrap moves to WORKDIR itself
        return await super()._async_launch_kernel(kernel_cmd, **kw)

