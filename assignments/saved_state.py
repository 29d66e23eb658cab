"""Is the notebook file on disk what the student sees in JupyterLab? When was it saved, and does it look stale?

The `check` command runs the saved file, so a student who has not saved checks old code. Two signs:
JupyterLab's checkpoint (`.ipynb_checkpoints/<name>-checkpoint.ipynb`, written by File > Save) is newer
than the file, or a JupyterLab server on this machine has the notebook open and its kernel ran code after
the file was last written.
"""
import json
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

SLACK_SECONDS = 2  # a save writes the file and its checkpoint a moment apart


def clock(timestamp):
    """A POSIX time as local HH:MM:SS and how long ago, e.g. '14:02:51 (3 min ago)'."""
    ago = max(0, time.time() - timestamp)
    span = f"{ago:.0f} s" if ago < 90 else f"{ago / 60:.0f} min" if ago < 5400 else f"{ago / 3600:.0f} h"
    return f"{time.strftime('%H:%M:%S', time.localtime(timestamp))} ({span} ago)"


def when_saved(path):
    return f"at {clock(Path(path).stat().st_mtime)}"


def staleness_warnings(path):
    """Sentences telling the student why the file on disk may be older than the notebook they see."""
    path = Path(path).resolve()
    saved = path.stat().st_mtime
    warnings = []
    checkpoint = path.parent / ".ipynb_checkpoints" / f"{path.stem}-checkpoint{path.suffix}"
    if checkpoint.exists() and checkpoint.stat().st_mtime > saved + SLACK_SECONDS:
        warnings.append(f"JupyterLab's checkpoint of {path.name} is newer ({clock(checkpoint.stat().st_mtime)}) "
                        "than the file: save the notebook (Ctrl+S) and check again")
    active = open_notebook_activity(path)
    if active is not None and active > saved + SLACK_SECONDS:
        warnings.append(f"{path.name} is open in JupyterLab and its kernel ran code at {clock(active)}, after "
                        "the file was saved: if you changed the notebook since, save it (Ctrl+S) and check again")
    return warnings


def open_notebook_activity(path):
    """POSIX time of the last activity of the kernel a running Jupyter server holds for `path`, or None."""
    try:
        from jupyter_core.paths import jupyter_runtime_dir
    except ImportError:
        return None
    latest = None
    for info in Path(jupyter_runtime_dir()).glob("jpserver-*.json"):  # one per running Jupyter server
        try:
            server = json.loads(info.read_text())
            relative = path.relative_to(Path(server.get("root_dir") or server["notebook_dir"]).resolve())
            request = urllib.request.Request(server["url"].rstrip("/") + "/api/sessions",
                                             headers={"Authorization": f"token {server.get('token', '')}"})
            with urllib.request.urlopen(request, timeout=2) as response:
                sessions = json.load(response)
        except (KeyError, ValueError, OSError):
            continue  # another folder, or a server that has gone or wants a password
        for session in sessions:
            if session.get("path") == relative.as_posix() and session.get("kernel"):
                stamp = datetime.fromisoformat(session["kernel"]["last_activity"])
                stamp = stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)
                latest = max(latest or 0, stamp.timestamp())
    return latest
