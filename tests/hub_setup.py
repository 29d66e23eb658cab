"""A real JupyterHub for one test run: Unix users, nbgrader's exchange, the instructor's course, the hub.

What lasts between runs (built once per machine, reused while pyproject.toml stays the same): a venv on
Debian's /usr/bin/python3.11 that every user can run (a Python under /root cannot be: that folder is mode
700) with the grader's dependencies and its `hub` extra (JupyterHub), and configurable-http-proxy from
npm, under /var/tmp/backprop-lab-hub/<hash>/. Everything else belongs to one run and is removed at its
end: the users (unique names), their homes, the exchange, the hub's state, its processes.
"""
import fcntl
import hashlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from conftest import checkout_wheel

REPO = Path(__file__).resolve().parents[1]
LOCK = REPO / "autograder" / "requirements.lock"
HUB_CONFIG = REPO / "examples" / "jupyterhub_config.py"
CACHE = Path(os.environ.get("BACKPROP_LAB_HUB_CACHE", "/var/tmp/backprop-lab-hub"))
PYTHON = "/usr/bin/python3.11"  # Debian's: every user can execute it
PROXY_PACKAGE = "configurable-http-proxy@5"
COURSE_ID = "backprop-lab"
PASSWORD = "backprop-" + secrets.token_hex(8)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Runtime:
    venv: Path
    proxy: Path

    def bin(self, name):
        return self.venv / "bin" / name


def cache_key():
    text = (REPO / "pyproject.toml").read_text() + LOCK.read_text() + repr((PROXY_PACKAGE, PYTHON))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


@contextmanager
def cached_runtime():
    """The cached venv and proxy (built on first use), held under a lock for as long as the caller uses
    them: the grader is reinstalled into the venv per run, so two runs must not share it at once."""
    folder = CACHE / cache_key()
    folder.mkdir(parents=True, exist_ok=True)
    for part in (CACHE, folder):
        part.chmod(0o755)
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        runtime = Runtime(folder / "venv", folder / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy")
        if not (folder / "ready").exists():
            build_runtime(folder, runtime)
        yield runtime


def build_runtime(folder, runtime):
    """One-time build (minutes): the grader's dependencies, JupyterHub and the proxy."""
    shutil.rmtree(runtime.venv, ignore_errors=True)
    run([PYTHON, "-m", "venv", str(runtime.venv)])
    run([str(runtime.bin("pip")), "install", "-q", "-c", str(LOCK), f"{REPO}[hub]"])
    run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(folder / "proxy"), PROXY_PACKAGE])
    (folder / "ready").write_text(time.strftime("%Y-%m-%d %H:%M:%S\n"))


def install_grader(runtime, scratch):
    """Install this checkout's grader into the hub's venv as an instructor would: a wheel (built from a copy
    of the checkout's files), its dependencies already there from the lock."""
    wheel = checkout_wheel(scratch)
    run([str(runtime.bin("pip")), "install", "-q", "--no-deps", "--force-reinstall", str(wheel)])


def run(command, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if result.returncode:
        raise RuntimeError(f"{' '.join(map(str, command))} failed ({result.returncode}):\n"
                           f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


@dataclass
class User:
    name: str
    home: Path

    @property
    def uid(self):
        return pwd.getpwnam(self.name).pw_uid


@dataclass
class Hub:
    """One run's hub: its users, folders and processes."""
    root: Path
    runtime: Runtime
    url: str = ""
    instructor: User = None
    students: dict = field(default_factory=dict)  # role ("a", "b", "c") -> User
    process: subprocess.Popen = None

    @property
    def exchange(self):
        return self.root / "exchange"

    @property
    def config_path(self):
        return self.root / "etc-jupyter"

    @property
    def course(self):
        return self.instructor.home / "course"

    def environment(self, user):
        """The environment a user's commands get: their home, the hub's venv first on PATH, the shared
        nbgrader config (course id, exchange)."""
        return {"HOME": str(user.home), "USER": user.name, "LOGNAME": user.name, "LANG": "C.UTF-8",
                "PATH": f"{self.runtime.venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
                "JUPYTER_CONFIG_PATH": str(self.config_path)}

    def as_user(self, user, command, cwd=None, check=True, timeout=300):
        """Run a command as the user (runuser, with a clean environment) -> CompletedProcess."""
        env = self.environment(user)
        full = ["runuser", "-u", user.name, "--", "env", "-i", *(f"{k}={v}" for k, v in env.items()), *command]
        result = subprocess.run(full, cwd=cwd or user.home, capture_output=True, text=True, timeout=timeout)
        if check and result.returncode:
            raise RuntimeError(f"as {user.name}: {' '.join(command)} failed ({result.returncode}):\n"
                               f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return result

    def instructor_runs(self, *command, **kwargs):
        return self.as_user(self.instructor, list(command), cwd=self.course, **kwargs)


def make_user(hub, name):
    home = hub.root / "home" / name
    run(["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash", "--user-group", name])
    home.chmod(0o700)  # what a hub's homes are: a student's files are theirs alone
    return User(name, home)


def as_owner(user, path, mode=None):
    run(["chown", "-R", f"{user.name}:{user.name}", str(path)])
    if mode is not None:
        path.chmod(mode)


def lab_settings(user):
    """JupyterLab settings that keep the browser test steady: every cell in the DOM, no news toast."""
    settings = user.home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab"
    (settings / "notebook-extension").mkdir(parents=True)
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    (settings / "apputils-extension").mkdir(parents=True)
    (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    as_owner(user, user.home / ".jupyter")


def setup_course(hub):
    """The shared nbgrader config every user reads (course id, exchange), the exchange (mode 1777, as
    nbgrader documents) and the instructor's course folder with their own nbgrader config naming it."""
    hub.config_path.mkdir()
    (hub.config_path / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.Exchange.root = {str(hub.exchange)!r}\n")
    hub.exchange.mkdir()
    hub.exchange.chmod(0o1777)
    run([str(hub.runtime.bin("backprop-lab")), "init", str(hub.course)])  # a course folder from the package
    own = hub.instructor.home / ".jupyter"
    own.mkdir(exist_ok=True)
    (own / "nbgrader_config.py").write_text(
        f"c = get_config()  # noqa: F821\nc.CourseDirectory.root = {str(hub.course)!r}\n")
    as_owner(hub.instructor, hub.course)
    as_owner(hub.instructor, own)


def start_hub(hub):
    """Start JupyterHub as root with the example config, on free ports of 127.0.0.1; wait until it answers."""
    port, internal, proxy_api = free_port(), free_port(), free_port()
    state = hub.root / "hub-state"
    state.mkdir()
    hub.url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "BACKPROP_HUB_VENV": str(hub.runtime.venv), "BACKPROP_HUB_STATE": str(state),
           "BACKPROP_HUB_CONFIG_PATH": str(hub.config_path), "BACKPROP_HUB_INSTRUCTOR": hub.instructor.name,
           "BACKPROP_HUB_STUDENTS": ",".join(u.name for u in hub.students.values()),
           "BACKPROP_HUB_PASSWORD": PASSWORD, "BACKPROP_HUB_URL": hub.url + "/",
           "BACKPROP_HUB_INTERNAL_PORT": str(internal), "BACKPROP_HUB_PROXY_API_PORT": str(proxy_api),
           "BACKPROP_HUB_PROXY": str(hub.runtime.proxy),
           "PATH": f"{hub.runtime.venv / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}"}
    log = open(hub.root / "hub.log", "w")
    hub.process = subprocess.Popen([str(hub.runtime.bin("jupyterhub")), "-f", str(HUB_CONFIG)], cwd=state,
                                   env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{hub.url}/hub/api/", timeout=2)
            return
        except OSError:
            if hub.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the hub did not start:\n{(hub.root / 'hub.log').read_text()[-4000:]}")
            time.sleep(0.3)


def processes_of(uids):
    """Pids of the processes whose real uid is one of uids (only the run's own users are asked about)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            uid = int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1])
            if uid in uids:
                pids.append(int(entry.name))
    return pids


def stop_hub(hub):
    """SIGTERM stops the hub, its proxy and (cleanup_servers) every user's server and their kernels."""
    if hub.process is None or hub.process.poll() is not None:
        return
    hub.process.terminate()
    try:
        hub.process.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(hub.process.pid, signal.SIGKILL)
        hub.process.wait()


def remove_users(hub, users):
    uids = set()
    for user in users:
        try:
            uids.add(user.uid)
        except KeyError:
            pass
    for _ in range(20):  # anything a run's user still runs was started by this run
        left = processes_of(uids)
        if not left:
            break
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.2)
    for user in users:
        subprocess.run(["userdel", "--remove", user.name], capture_output=True)


@contextmanager
def running_hub():
    """Users, course, exchange and a running hub, all removed afterwards (even when the test fails)."""
    with cached_runtime() as runtime:
        root = Path(tempfile.mkdtemp(prefix="backprop-lab-hub-"))
        root.chmod(0o755)  # users reach their homes, the exchange and the shared config through it
        (root / "home").mkdir(mode=0o755)
        hub = Hub(root, runtime)
        tag = secrets.token_hex(3)
        users = []
        try:
            install_grader(runtime, root)
            hub.instructor = make_user(hub, f"bl{tag}prof")
            users.append(hub.instructor)
            for role in "abc":
                hub.students[role] = make_user(hub, f"bl{tag}st{role}")
                users.append(hub.students[role])
            for user in users:
                lab_settings(user)
            setup_course(hub)
            start_hub(hub)
            yield hub
        finally:
            stop_hub(hub)
            remove_users(hub, users)
            keep = os.environ.get("BACKPROP_LAB_KEEP_HUB_LOG")
            if keep and (root / "hub.log").exists():
                shutil.copy(root / "hub.log", keep)
            shutil.rmtree(root, ignore_errors=True)
