"""The kernel a submission runs in: the course's Python, without the grader.

The kernel starts with `python -S`, so no .pth file runs: the editable install that makes
`autograder` importable for the instructor is invisible, and only the third-party packages
(numpy, IPython, ...) are put on its path. Its working directory is the submission's folder,
which holds the grader's copy of the kit.
"""
import os
import site
import sys

from jupyter_client.manager import AsyncKernelManager

from assignments.probe import SEED_VARIABLE

BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
HIDDEN_VARIABLES = ("BACKPROP_LAB_SECRET", "VIRTUAL_ENV", "PWD", "OLDPWD", "PYTHONPATH", "PYTHONSTARTUP")


def package_paths():
    """Site-packages folders of the grader's Python, for the kernel's PYTHONPATH."""
    paths = list(site.getsitepackages())
    if site.ENABLE_USER_SITE and os.path.isdir(site.getusersitepackages()):
        paths.append(site.getusersitepackages())
    return paths


def kernel_environment(seed, scratch):
    """The environment of a grading kernel: no grader secrets, the student's seed, config dirs in scratch."""
    env = {key: value for key, value in os.environ.items() if key not in HIDDEN_VARIABLES}
    env.update({
        "PYTHONPATH": os.pathsep.join(package_paths()),
        "IPYTHONDIR": os.path.join(scratch, "ipython"),
        "MPLCONFIGDIR": os.path.join(scratch, "matplotlib"),
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        SEED_VARIABLE: str(seed),
        # one BLAS thread: these matrices are small, and several kernels grading at once would otherwise
        # fight over the cores (measured: two workers with default threads took as long as one)
        **{variable: "1" for variable in BLAS_THREAD_VARIABLES},
    })
    return env


class GradingKernelManager(AsyncKernelManager):
    """Starts `python -S -m ipykernel_launcher`, whatever kernel the notebook names."""

    def format_kernel_cmd(self, extra_arguments=None):
        return [sys.executable, "-S", "-m", "ipykernel_launcher", "-f", os.path.realpath(self.connection_file),
                *(extra_arguments or [])]
