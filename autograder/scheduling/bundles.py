"""Files as bytes: what travels between the grading client and a cluster worker, as one zip archive.

Only regular files are packed (a link in a submission is neither followed nor sent), and an archive is
only ever unpacked below the folder it is meant for.
"""
import io
import zipfile
from pathlib import Path, PurePosixPath

from ..isolation.submission import regular_files

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the same files always give the same bytes


def folder_entries(folder, prefix=""):
    """{prefix + relative name: path} for the regular files under folder."""
    folder = Path(folder)
    return {prefix + path.relative_to(folder).as_posix(): path for path in regular_files(folder)}


def pack(entries):
    """{name: bytes or path to read} -> the bytes of a zip archive; a name ending in "/" is a folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name in sorted(entries):
            data = entries[name]
            archive.writestr(zipfile.ZipInfo(name, FIXED_TIME),
                             data if isinstance(data, (bytes, str)) else Path(data).read_bytes())
    return buffer.getvalue()


def unpack(data):
    """The bytes of a zip archive -> {name: bytes}, refusing any name that would leave its folder."""
    entries = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            name = PurePosixPath(info.filename)
            if name.is_absolute() or ".." in name.parts or "\\" in info.filename:
                raise ValueError(f"refusing the archive entry {info.filename!r}")
            entries[info.filename] = archive.read(info)
    return entries


def write_folder(entries, folder):
    """Write {name: bytes} (names from unpack) below folder; a name ending in "/" makes a folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in entries.items():
        target = folder / name
        if name.endswith("/"):
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
