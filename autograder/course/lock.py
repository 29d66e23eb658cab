"""The grading environment's lock (`autograder/requirements.lock`; `bash .ci/lock` remakes it)
and what the release and the grader make of it.

The lock pins every package of the grader, direct and transitive, with markers for each Python
version and platform. The release hands students the lines of the packages their kernel imports, so a
self-check runs on the grader's NumPy; `grade` warns when the installed packages have drifted from
what the students were told.
"""
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

LOCK = Path(__file__).resolve().parents[1] / "requirements.lock"

# what the grading kernel imports (directly or through these): the students get the same versions
KERNEL_PACKAGES = ("numpy", "scipy", "matplotlib", "scikit-learn", "mnist1d", "ipykernel", "ipython",
                   "jupyterlab", "nbclient", "nbformat")


def requirement_lines(text):
    """The requirement lines of a lock or requirements file, comments and options dropped."""
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("-")]


def locked(text):
    """The requirements of a lock or requirements file -> [Requirement]."""
    return [Requirement(line) for line in requirement_lines(text)]


def pinned_version(requirement):
    """'numpy==2.4.6' -> '2.4.6'."""
    return next(spec.version for spec in requirement.specifier if spec.operator == "==")


def kernel_lines(lock_text):
    """The lock's lines for the kernel's packages, in KERNEL_PACKAGES order, markers kept: the same text on
    every machine, and right for every Python version the lock covers."""
    by_name = {}
    for line in requirement_lines(lock_text):
        by_name.setdefault(canonicalize_name(Requirement(line).name), []).append(line)
    missing = [name for name in KERNEL_PACKAGES if canonicalize_name(name) not in by_name]
    if missing:
        raise ValueError(f"the lock pins no version of {', '.join(missing)}")
    return [line for name in KERNEL_PACKAGES for line in by_name[canonicalize_name(name)]]


def versions_here(text):
    """{package: pinned version} of the lines whose markers hold for this Python and platform."""
    return {canonicalize_name(r.name): pinned_version(r) for r in locked(text)
            if r.marker is None or r.marker.evaluate()}


def drift(told_text, packages=KERNEL_PACKAGES):
    """[(package, version told, version installed or None)] for each kernel package whose installed
    version differs from what `told_text` (students' requirements.txt or the lock) pins here."""
    told = versions_here(told_text)
    found = []
    for name in packages:
        want = told.get(canonicalize_name(name))
        try:
            have = version(name)
        except PackageNotFoundError:
            have = None
        if want is not None and have != want:
            found.append((name, want, have))
    return found
