"""A submission is files: links, devices, FIFOs and sockets are set aside before anything reads it.

nbgrader copies a submission with shutil.copy, which follows links: a `leak.txt` pointing at the
instructor's source notebook would be copied, solutions and hidden tests included, into the graded
folder and from there into the student's feedback. So before grading, every entry of
submitted/<student>/<assignment>/ that is not a regular file or folder, and every file hard-linked
from outside the submission, is renamed `<name>.set-aside` (kept as it is, never followed) and the
course's nbgrader config ignores that suffix.
"""
import os
import stat
from collections import Counter
from pathlib import Path

SUFFIX = ".set-aside"


class SubmissionError(Exception):
    """A submission that cannot be graded safely as it is (a link where a notebook should be)."""


def kind_of(mode):
    """The name of a file type that is not allowed in a submission, or "" for a regular file/folder."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "not a regular file"
    return ""


def unsafe_entries(folder):
    """{path relative to folder: why it is not a plain file of the submission}, never following a link."""
    found, files = {}, []
    for parent, dirs, names in os.walk(folder):  # os.walk does not descend into linked folders
        for name in dirs + names:
            path = Path(parent, name)
            if name.endswith(SUFFIX):
                continue
            info = path.lstat()
            kind = kind_of(info.st_mode)
            if kind:
                found[path] = kind
            elif stat.S_ISREG(info.st_mode):
                files.append((path, info))
    inside = Counter((info.st_dev, info.st_ino) for _, info in files)
    for path, info in files:
        if info.st_nlink > inside[(info.st_dev, info.st_ino)]:
            found[path] = "a hard link to a file outside the submission"
    return {str(path.relative_to(folder)): kind for path, kind in sorted(found.items())}


def set_aside_unsafe(folder):
    """Rename each unsafe entry of folder to <name>.set-aside -> {relative path: kind}, including
    entries set aside by an earlier run (a regrade), so the report stays the same."""
    folder = Path(folder)
    for relative in unsafe_entries(folder):
        path = folder / relative
        path.rename(path.with_name(path.name + SUFFIX))
    set_aside = sorted(Path(parent, name) for parent, dirs, names in os.walk(folder) for name in dirs + names
                       if name.endswith(SUFFIX))
    return {str(p.relative_to(folder))[:-len(SUFFIX)]: kind_of(p.lstat().st_mode) or
            "a hard link to a file outside the submission" for p in set_aside}


def regular_files(folder):
    """Paths of the regular files under folder, sorted; links and devices are never followed or read."""
    found = []
    for parent, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(parent, d)))
        found += [Path(parent, f) for f in files if stat.S_ISREG(os.lstat(os.path.join(parent, f)).st_mode)]
    return sorted(found)


def linked_path(course_root, *parts):
    """The first of course_root/parts[0], .../parts[1], ... that is a link (a submission folder that
    points somewhere else), or None."""
    path = Path(course_root)
    for part in parts:
        path = path / part
        if path.is_symlink():
            return path
    return None
