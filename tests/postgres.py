"""A throwaway PostgreSQL server for the tests: Debian's (or any on PATH) binaries, a data folder in /tmp,
TCP on 127.0.0.1 at a free port, no password (trust). PostgreSQL refuses to run as root, so under root
(as in CI) the server runs as the unprivileged user `nobody`."""
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

USER = "grader"  # the server's superuser role


def binaries():
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    initdb = found[-1] if found else shutil.which("initdb")
    assert initdb, "no PostgreSQL server found: run `bash .ci/system-packages database`"
    return Path(initdb).parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def postgres_server():
    """Start a server; yield new_database(name) -> the URL of a database it creates; at the end stop the
    server and delete its data."""
    folder = Path(tempfile.mkdtemp(prefix="backprop-lab-postgres-"))
    prefix = []
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(folder, nobody.pw_uid, nobody.pw_gid)
        prefix = ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"]
    bin_dir, port, data = binaries(), free_port(), folder / "data"

    def run(*command):
        done = subprocess.run([*prefix, *command], capture_output=True, text=True, cwd=folder)
        log = (folder / "log").read_text() if (folder / "log").exists() else ""
        assert done.returncode == 0, f"{Path(command[0]).name} failed: {done.stdout}{done.stderr}{log}"

    run(bin_dir / "initdb", "-D", data, "-U", USER, "--auth=trust", "-E", "UTF8", "--no-locale")
    run(bin_dir / "pg_ctl", "-D", data, "-l", folder / "log", "-w", "-o",
        f"-h 127.0.0.1 -p {port} -k {folder} -F", "start")

    def new_database(name):
        import psycopg

        with psycopg.connect(f"postgresql://{USER}@127.0.0.1:{port}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://{USER}@127.0.0.1:{port}/{name}"

    try:
        yield new_database
    finally:
        run(bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)

