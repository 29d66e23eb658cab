"""Per-student seeds: secret, reproducible, recorded in each graded notebook."""
import hashlib
import hmac
import os
import secrets
from pathlib import Path

SECRET_VARIABLE = "BACKPROP_LAB_SECRET"


def course_secret(course_root):
    """The course's grading secret: $BACKPROP_LAB_SECRET, else .backprop-lab/secret (made on first use)."""
    if os.environ.get(SECRET_VARIABLE):
        return os.environ[SECRET_VARIABLE]
    path = Path(course_root) / ".backprop-lab" / "secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(16))
        path.chmod(0o600)
    return path.read_text().strip()


def student_seed(secret, assignment, student, notebook):
    """A 31-bit seed that only the holder of the secret can predict."""
    message = f"{assignment}/{student}/{notebook}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big") & 0x7FFFFFFF
