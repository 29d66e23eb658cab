"""The parent of one student's grading kernels: runs inside that student's sandbox, imports once what every
kernel imports, then forks a fresh kernel for each of the student's notebooks.

It runs as `python -S -c <this file's text> WORKDIR RUNDIR MPLCONFIGDIR FONT_CACHE`, so it imports nothing of
the grader (which the sandbox masks). It talks to the grader over its standard input and output, a JSON
object a line:

    grader -> parent   {"fork": [arguments]}            fork a kernel, as `ipykernel_launcher <arguments>`
                       {"signal": <number>}             send the kernel a signal
    parent -> grader   {"ready": true}                  the imports are done (first line)
                       {"pid": <number>}                the kernel forked (its pid inside the sandbox)
                       {"exit": <code>}                 the kernel ended: its exit code, 128 + N for signal N

Each kernel starts from the parent as it was before any student code ran, so no notebook inherits anything
of another: when a kernel ends, the parent kills every other process of the sandbox (all of them the
student's: its own uid in its own PID namespace), removes the System V IPC objects left in its IPC namespace
and empties every folder the kernel could write (its working folder, /tmp, /dev/shm and the folder of the
connection files) before it forks the next one. The
kernel cannot reach into the parent: the parent is not dumpable, so a process of the same uid may neither
trace it nor read its memory or file descriptors; it ignores every signal a process can ignore; and it is
not the kernel's parent: a waiter forked for each kernel is, which tells the parent how the kernel ended. A
kernel that kills "the process that started it" (os.getppid()) ends its waiter only, and runs on.
"""
import ctypes
import json
import os
import select
import selectors
import shutil
import signal
import subprocess
import sys
import time

PR_SET_DUMPABLE = 4
# what every notebook's setup imports, and what ipykernel imports while it starts a kernel (its debugger,
# the shell's completer and history): measured 0.17 s of CPU per kernel when left to each fork
PREIMPORTED = ("numpy", "numpy.random", "matplotlib.pyplot", "matplotlib.ticker", "matplotlib_inline.backend_inline",
               "IPython.display", "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell",
               "ipykernel.debugger", "IPython.core.debugger", "IPython.core.completerlib",
               "IPython.extensions.storemagic", "sqlite3", "tornado.gen", "tornado.queues",
               "tornado.platform.asyncio", "faulthandler")


MODES = {}  # the folders kernels may write -> their modes before any kernel ran


def main(workdir, rundir, mplconfigdir, font_cache):
    commands, events = os.fdopen(os.dup(0), "rb", buffering=0), os.fdopen(os.dup(1), "w")
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):  # as the grader starts a kernel: no terminal, output to nowhere
        os.dup2(null, fd)
    if sys.path and sys.path[0] == "":  # as ipykernel_launcher: the kernel puts the working folder back itself
        del sys.path[0]
    for name in PREIMPORTED:
        __import__(name)
    threads = len(os.listdir("/proc/self/task"))
    if threads != 1:  # a fork copies one thread only: refuse, the grader starts each kernel on its own
        return say(events, error=f"the kernel parent runs {threads} threads after its imports: it cannot fork")
    ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
    defaults = ignore_signals()
    folders = (workdir, "/tmp", "/dev/shm", rundir)
    MODES.update({folder: os.stat(folder).st_mode & 0o7777 for folder in folders})
    say(events, ready=True)

    selector = selectors.DefaultSelector()
    selector.register(commands, selectors.EVENT_READ)
    kernel, pending = None, b""
    while True:
        polling = kernel is not None and kernel.polled()
        if any(key.fileobj is commands for key, _ in selector.select(timeout=0.01 if polling else None)):
            data = commands.read(65536)
            if not data:  # the grader is done with the sandbox, or gone
                end_others()
                os._exit(0)  # at once: the interpreter's own teardown of its modules took 0.3 s
            pending += data
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                request = json.loads(line)
                if "fork" in request and kernel is None:
                    kernel = Kernel(request["fork"], defaults, (commands, events, selector), selector)
                    say(events, pid=kernel.pid)
                elif "signal" in request and kernel is not None:
                    os.kill(kernel.pid, int(request["signal"]))
        code = kernel.exit_code() if kernel is not None else None
        if code is not None:
            kernel.forget()
            kernel = None
            end_others()
            remove_ipc_objects()
            for folder in folders:
                empty(folder)
            restore_fonts(font_cache, mplconfigdir)
            say(events, exit=code)


UNKNOWN = 255  # the exit code reported when the kernel's waiter was killed before it could tell


class Kernel:
    """A kernel forked from this parent through a waiter, its parent, which writes the kernel's pid and then
    its wait status into a pipe. The kernel's end shows as that status, or, once the waiter is gone, as the
    kernel's pidfd becoming readable (or its /proc entry gone, where Linux has no pidfd)."""

    def __init__(self, arguments, defaults, channels, selector):
        read, write = os.pipe()
        self.waiter = os.fork()
        if self.waiter == 0:
            os.close(read)
            wait_for(arguments, defaults, channels, write)
        os.close(write)
        self.selector, self.pipe = selector, os.fdopen(read, "rb", buffering=0)
        self.pid = int(self.pipe.readline())
        self.status, self.waiter_gone, self.pidfd = None, False, pidfd(self.pid)
        for file in (self.pipe, self.pidfd):
            if file is not None:
                selector.register(file, selectors.EVENT_READ)

    def polled(self):
        """Whether nothing will wake the parent when the kernel ends (look again every 10 ms)."""
        return self.waiter_gone and self.pidfd is None

    def exit_code(self):
        """The kernel's exit code (128 + N for signal N) once it has ended, else None."""
        gone = readable(self.pidfd) if self.pidfd is not None else self.waiter_gone and ended(self.pid)
        # the waiter writes the status as soon as the kernel is gone: a waiter silent for a second was stopped
        if self.status is None and not self.waiter_gone and readable(self.pipe, 1 if gone else 0):
            line = self.pipe.readline()
            if line:
                self.status = int(line)
            else:  # killed by the kernel, most likely
                self.waiter_gone = True
                self.selector.unregister(self.pipe)
        if self.status is not None:
            code = os.waitstatus_to_exitcode(self.status)
            return code if code >= 0 else 128 - code  # as a shell (and bwrap) reports a signal
        return UNKNOWN if gone or (self.waiter_gone and ended(self.pid)) else None

    def forget(self):
        """Stop watching the ended kernel, and reap its waiter."""
        for file in (self.pipe, self.pidfd):
            if file is not None and not (file is self.pipe and self.waiter_gone):
                self.selector.unregister(file)
        self.pipe.close()
        if self.pidfd is not None:
            os.close(self.pidfd)
        try:
            os.kill(self.waiter, signal.SIGKILL)  # done already, or stopped by the kernel: waitpid must not hang
            os.waitpid(self.waiter, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def wait_for(arguments, defaults, channels, pipe):
    """In the waiter: fork the kernel, write its pid, wait for it, write its wait status, exit. channels: what
    of the parent neither may keep (its pipes to the grader, its selector)."""
    for channel in channels:
        channel.close()
    code = 1
    try:
        kernel = os.fork()
        if kernel == 0:
            os.close(pipe)
            run_kernel(arguments, defaults)
        os.write(pipe, f"{kernel}\n".encode())
        os.write(pipe, f"{os.waitpid(kernel, 0)[1]}\n".encode())
        code = 0
    finally:
        os._exit(code)


def run_kernel(arguments, defaults):
    """In the kernel: as `python -m ipykernel_launcher <arguments>` would run. Never returns."""
    try:
        for signum, handler in defaults.items():
            signal.signal(signum, handler)
        ctypes.CDLL(None).prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
        import numpy.random
        numpy.random.seed()  # the parent's draws are every fork's: a fresh kernel seeds from the OS
        from ipykernel import kernelapp
        launcher = os.path.join(os.path.dirname(os.path.dirname(kernelapp.__file__)), "ipykernel_launcher.py")
        sys.argv = [launcher, *arguments]
        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        code = 1
    os._exit(code)


def pidfd(pid):
    """A file descriptor that becomes readable when the process ends, or None where Linux has none (< 5.3)."""
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


def readable(file, timeout=0):
    return bool(select.select([file], [], [], timeout)[0])


def ended(pid):
    """Whether the process is gone or a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except (OSError, IndexError):
        return True


def ignore_signals():
    """Ignore every signal that can be ignored (SIGCHLD stays: the parent waits for its kernel) -> the
    handlers before, which each kernel puts back."""
    before = {}
    for signum in signal.valid_signals() - {signal.SIGKILL, signal.SIGSTOP, signal.SIGCHLD}:
        try:
            before[signum] = signal.signal(signum, signal.SIG_IGN)
        except (OSError, ValueError):
            pass
    return before


def end_others():
    """Kill every process of the sandbox but this one and the sandbox's init, and wait until they are gone."""
    me = os.getpid()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(-1, signal.SIGKILL)  # every process this uid may signal in this PID namespace, but init and me
        except ProcessLookupError:
            pass
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            pass
        if all(int(pid) in (1, me) for pid in os.listdir("/proc") if pid.isdigit()):
            return
        time.sleep(0.001)


def remove_ipc_objects():
    """Remove the System V shared memory, semaphores and message queues a kernel left: the sandbox has an
    IPC namespace of its own, so all of them are the student's."""
    def listed(kind):
        try:
            with open(f"/proc/sysvipc/{kind}") as table:
                return len(table.readlines()) > 1  # a header line, then one line each
        except OSError:
            return False

    if any(listed(kind) for kind in ("shm", "sem", "msg")):
        try:
            subprocess.run(["ipcrm", "--all"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10)
        except (OSError, subprocess.SubprocessError):
            pass


def empty(folder):
    """Remove everything in folder (the folder itself is a mount point: it stays), also what a kernel made
    unreadable (all of it is this uid's, which may always change its permissions back)."""
    try:  # as it was before any kernel ran, should a kernel that owns it have changed it
        os.chmod(folder, MODES[folder])
    except (KeyError, OSError):  # not its to change (bubblewrap made it, as root)
        pass
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                os.chmod(entry.path, 0o700)
                for parent, folders, _ in os.walk(entry.path):
                    for name in folders:
                        if not os.path.islink(os.path.join(parent, name)):
                            os.chmod(os.path.join(parent, name), 0o700)
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:
            pass


def restore_fonts(font_cache, mplconfigdir):
    """matplotlib's font list back in the emptied /tmp, as the sandbox's start put it there."""
    if os.path.isdir(font_cache):
        os.makedirs(mplconfigdir, exist_ok=True)
        for name in os.listdir(font_cache):
            shutil.copyfile(os.path.join(font_cache, name), os.path.join(mplconfigdir, name))


def say(events, **message):
    events.write(json.dumps(message) + "\n")
    events.flush()


if __name__ == "__main__":
    main(*sys.argv[1:5])
