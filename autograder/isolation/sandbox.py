"""The sandbox a grading kernel runs in: bubblewrap, an unprivileged uid and resource limits.

Inside, the kernel sees the Python runtime and its packages (read-only, the grader's own files masked
wherever it is installed), its own copy of the
submission at WORKDIR (the only writable folder besides a private /tmp), its own /proc and a minimal
/dev. It does not see the course directory, other students, any home folder or the grading secret,
and it has no network (a new network namespace holds only a loopback device). It runs in new PID,
IPC and UTS namespaces and a new session, and dies with the grader.

When the grader runs as root, bubblewrap is started as root without a user namespace (a user
namespace made by root maps the sandbox back to uid 0 outside), and the kernel drops to an
unprivileged uid of its own, `setpriv --reuid`, before anything of the submission runs: that uid
owns nothing outside the sandbox, and RLIMIT_NPROC, which never binds uid 0, binds it. Each grading
process uses its own uid, since the process limit counts every process of a uid machine-wide. An
instructor who is not root needs no drop: bubblewrap then makes a user namespace itself.
"""
import itertools
import os
import shutil
import signal
import site
import subprocess
import sys
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

WORKDIR = "/home/student/submission"  # the kernel's working folder inside the sandbox: a size-limited tmpfs
SUBMISSION = "/srv/submission"  # the grader's copy of the submission, read-only; the kernel copies it into WORKDIR
FONT_CACHE = "/srv/matplotlib"  # matplotlib's font list made for this sandbox, read-only, copied at start
UID_BASE = 1_000_000  # a grading process's sandbox uids: UID_BASE + its pid * UIDS_PER_PROCESS + 0..7
UIDS_PER_PROCESS = 8  # taken in turn by its students' sandboxes, of which at most two are alive at once (the
                      # student's being graded, the next one's): each one's process limit counts its own alone
MiB = 1024 * 1024


class SandboxError(Exception):
    """The sandbox cannot start on this machine: grading must not go on without it."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of one grading kernel (rlimits, applied inside the sandbox)."""
    memory_mb: int = 2048  # address space; the kernel's imports plus a 512x3072 matmul peaked at 463 MB
    processes: int = 256  # processes and threads of the kernel's uid; ipykernel alone runs about 10
    file_size_mb: int = 256  # largest file the kernel may write
    cpu_seconds: int = 600  # CPU time of the whole notebook; a single cell is also bounded by its timeout
    disk_mb: int = 512  # all it may write, in its working folder and in its /tmp (each a tmpfs of this size)

    def prlimit_options(self):
        # the CPU limit is soft first: SIGXCPU (exit code 128 + 24) names the reason, SIGKILL follows
        return [f"--as={self.memory_mb * MiB}", f"--nproc={self.processes}",
                f"--fsize={self.file_size_mb * MiB}", f"--cpu={self.cpu_seconds}:{self.cpu_seconds + 5}"]

    def describe(self):
        return dict(asdict(self))


def limit_reason(text, limits):
    """What limit an error message shows the kernel ran into, in a student's words, or ""."""
    if "MemoryError" in text or "Unable to allocate" in text or "Cannot allocate memory" in text:
        return f"ran out of memory (the grading kernel's limit is {size(limits.memory_mb)})"
    if "File too large" in text:
        return f"wrote a file larger than the grading kernel's limit of {size(limits.file_size_mb)}"
    if "No space left on device" in text:
        return f"wrote more than the grading kernel's limit of {size(limits.disk_mb)} of files"
    if "Resource temporarily unavailable" in text or "can't start new thread" in text:
        return f"started more processes or threads than the grading kernel's limit of {limits.processes}"
    return ""


def exit_reason(code, limits):
    """Why a kernel process ended, from its exit code (bwrap passes the kernel's on), in words."""
    if code is not None and code - 128 == signal.SIGXCPU:
        return f"it used up its CPU time limit of {limits.cpu_seconds} s"
    if code is not None and code - 128 == signal.SIGKILL:
        return "it was killed"
    return "it crashed or exited the Python process"


def size(megabytes):
    return f"{megabytes // 1024} GiB" if megabytes % 1024 == 0 else f"{megabytes} MiB"


def sandbox_uids(pid=None):
    """The unprivileged uids the kernels of the grading process `pid` (default: this one) run as, in turn,
    when the grader is root: unique among live grading processes."""
    first = UID_BASE + (pid or os.getpid()) * UIDS_PER_PROCESS
    return range(first, first + UIDS_PER_PROCESS)


TURNS = itertools.count()


def sandbox_uid():
    """The uid of the next kernel this process starts (only used when we are root)."""
    return sandbox_uids()[next(TURNS) % UIDS_PER_PROCESS]


def running_as_root():
    return os.geteuid() == 0


def package_paths():
    """Site-packages folders of the grader's Python, for the kernel's PYTHONPATH."""
    paths = list(site.getsitepackages())
    if site.ENABLE_USER_SITE and os.path.isdir(site.getusersitepackages()):
        paths.append(site.getusersitepackages())
    return paths


def runtime_paths():
    """Folders the kernel's Python needs: its installation and its package folders."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, *package_paths()}
    resolved = {str(Path(p).resolve()) for p in paths if os.path.isdir(p)}
    return sorted(p for p in resolved if not any(p != q and p.startswith(q + os.sep) for q in resolved))


# what an installation of the grader leaves in a package folder: the package, its record of files, an
# editable install's finder and .pth file (which name the checkout it came from)
GRADER_PATTERNS = ("autograder", "backprop_lab-*.dist-info", "backprop_lab-*.egg-info", "backprop_lab*.egg-link",
                   "__editable__*backprop_lab*", "__pycache__/__editable__*backprop_lab*")


@lru_cache(maxsize=1)
def grader_paths():
    """The grader's files and folders in the package folders every kernel sees, however it was installed
    (regular, editable, in a virtualenv or system-wide): the sandbox masks each one. Found once per grading
    process (an installation does not change while it grades), not at every kernel start."""
    import autograder

    folders = {*package_paths(), *runtime_paths()}
    found = {Path(autograder.__file__).resolve().parent}
    found.update(path for folder in folders for pattern in GRADER_PATTERNS for path in Path(folder).glob(pattern))
    visible = [path for path in found if any(Path(folder) in path.parents for folder in folders)]
    return tuple(sorted(str(path) for path in visible))


def masks(paths):
    """bwrap options that put an empty folder over each folder and an empty file over each file."""
    args = []
    for path in paths:
        args += ["--tmpfs", path] if os.path.isdir(path) else ["--ro-bind", "/dev/null", path]
    return args


# What of /etc a Python process needs: the dynamic linker's cache, fonts for matplotlib, the time zone.
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "fonts", "localtime", "alternatives")
SYSTEM_FOLDERS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")


def bwrap_command(command, workdir, rundir, limits, drop_to_uid=None, font_cache=None, mplconfigdir=None):
    """The bubblewrap command line that runs `command` in a sandbox.

    workdir: the submission's copy, mounted read-only at SUBMISSION; a kernel copies it, when a notebook claims
    it (kernel_pool.claim_code), into WORKDIR, a tmpfs of limits.disk_mb where it works (what it writes neither
    fills the grader's disk nor outlives it).
    rundir: the kernel's connection file and ZMQ ipc sockets, mounted at the same path inside.
    drop_to_uid: when set (we are root), the kernel runs as this uid, with no capabilities.
    font_cache: a folder holding matplotlib's font list, copied into mplconfigdir (in the private /tmp)
    before the command starts, so no kernel lists the machine's fonts again (0.2 s of CPU each here,
    seconds where many fonts are installed).
    """
    disk = str(limits.disk_mb * MiB)
    # the private /tmp first: mounted later, it would hide whatever is bound below it (a virtualenv in /tmp)
    args = ["bwrap", "--perms", "1777", "--size", disk, "--tmpfs", "/tmp"]
    for folder in SYSTEM_FOLDERS:
        if os.path.islink(folder):
            args += ["--symlink", os.readlink(folder), folder]
        elif os.path.isdir(folder):
            args += ["--ro-bind", folder, folder]
    args += ["--perms", "0755", "--dir", "/etc"]  # bwrap would make it private to root: unreadable for the kernel
    for name in ETC_FILES:
        if os.path.exists(f"/etc/{name}"):
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    for path in runtime_paths():
        if not path.startswith("/usr/"):
            args += traversable_parents(path) + ["--ro-bind", path, path]
    args += masks(grader_paths())
    args += ["--proc", "/proc", "--dev", "/dev"]
    args += ["--perms", "1777", "--size", disk, "--tmpfs", "/dev/shm"]  # POSIX semaphores (joblib, multiprocessing)
    args += traversable_parents(rundir) + ["--bind", rundir, rundir]
    args += traversable_parents(SUBMISSION) + ["--ro-bind", workdir, SUBMISSION]
    if font_cache:
        args += traversable_parents(FONT_CACHE) + ["--ro-bind", font_cache, FONT_CACHE]
    args += traversable_parents(WORKDIR) + ["--perms", "1777", "--size", disk, "--tmpfs", WORKDIR, "--chdir", WORKDIR]
    args += ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--hostname", "sandbox",
             "--die-with-parent", "--new-session",
             # a parent pid from outside the PID namespace: ipykernel would take its parent for dead and quit
             "--unsetenv", "JPY_PARENT_PID", "--"]
    args += ["prlimit", *limits.prlimit_options(), "--"]
    if drop_to_uid is not None:
        args += ["setpriv", f"--reuid={drop_to_uid}", f"--regid={drop_to_uid}", "--clear-groups",
                 "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]
    if not (font_cache and mplconfigdir):
        return args + command
    fonts = f'mkdir -p {mplconfigdir} && cp {FONT_CACHE}/*.json {mplconfigdir}/; exec "$@"'  # as the kernel's uid
    return args + ["/bin/sh", "-c", fonts, "sh", *command]


def course_inside_runtime(course_root):
    """Why the sandbox would expose the course, or "": a course folder inside the Python installation
    (a virtualenv used as the course folder) would be mounted into every kernel with it."""
    root = Path(course_root).resolve()
    for path in runtime_paths():
        if root == Path(path) or Path(path) in root.parents:
            return f"the course folder {root} lies inside the Python installation {path}, which every kernel sees"
    return ""


def traversable_parents(path):
    """bwrap options that create each parent of path as a folder others may pass through but not list:
    bwrap's own parents would be private to root, so a dropped uid could not reach what is bound there."""
    args = []
    parents = list(Path(path).parents)[:-1]  # without "/"
    for parent in reversed(parents):
        if str(parent) not in ("/tmp",):
            args += ["--perms", "0711", "--dir", str(parent)]
    return args


def hand_over(path, uid):
    """Give a folder (recursively) to the sandbox's uid: its connection file and sockets."""
    if uid is None:
        return
    for folder, _, files in os.walk(path):
        os.chown(folder, uid, uid)
        for name in files:
            os.lchown(os.path.join(folder, name), uid, uid)


def check_sandbox(limits=Limits()):
    """Start a sandboxed Python that imports NumPy -> "" when that works, else why not and how to fix it."""
    if shutil.which("bwrap") is None:
        return ("bubblewrap (`bwrap`) is not installed, so student code cannot be isolated. Install it "
                "(Debian/Ubuntu: `sudo apt-get install bubblewrap`, or `bash .ci/system-packages sandbox`), "
                "or grade with --unsandboxed on a machine you trust the submissions with")
    for tool in ("prlimit", "setpriv"):
        if shutil.which(tool) is None:
            return f"`{tool}` (util-linux) is missing; it sets the kernel's limits and drops its privileges"
    import tempfile
    with tempfile.TemporaryDirectory(prefix="backprop-sandbox-check-") as scratch:
        work, run = Path(scratch, "work"), Path(scratch, "run")
        work.mkdir(), run.mkdir()
        uid = sandbox_uid() if running_as_root() else None
        hand_over(run, uid)
        command = bwrap_command([sys.executable, "-S", "-c", "import numpy"], str(work), str(run), limits, uid)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": os.pathsep.join(package_paths())}
        try:
            result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as error:
            return f"the sandbox did not start ({error})"
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["no message"])[-1]
        hint = (" (user namespaces may be disabled: sysctl kernel.unprivileged_userns_clone=1 or "
                "user.max_user_namespaces>0)" if not running_as_root() else "")
        return f"the sandbox did not start: {last}{hint}"
    return ""
